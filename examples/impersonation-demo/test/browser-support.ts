import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** Where screenshots go (gitignored: `.tmp/`). */
export const artifactsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.tmp/browser-artifacts');

/** Debian's chromium (scripts/bootstrap.sh --test installs it); CHROMIUM_PATH overrides. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A headless Debian chromium (Playwright gives each launch a throwaway profile), with the flags platform-notes.md lists. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`no chromium at ${chromiumPath}: run scripts/bootstrap.sh --test (apt-get install chromium) or set CHROMIUM_PATH`);
  mkdirSync(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Polls `check` until it returns a value (the condition is brought about by another process). */
export async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The port a listening server got. */
export const portOf = (server: { address(): AddressInfo | string | null }) => (server.address() as AddressInfo).port;
