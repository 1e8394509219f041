/**
 * What every directory helper shares: the vendor context of an environment's integration (its
 * settings and secrets, read as the native strategies read them), turning vendor failures into
 * host-call errors a hook author can act on, and mapping vendor users to Sym users.
 */
import type { Logger } from 'pino';
import { HostCallError, type SymUser } from '../../sandbox';
import { StrategyError } from '../../features/strategies/access-strategy';
import { type AwsCredentialResolver, roleSessionName, secretSourceCredentials } from '../../features/strategies/aws-role-credentials';
import type { Env } from '../../features/strategies/aws-client-config';
import { type EntityReader, loadSecret, settingsOf } from '../../features/strategies/integration-loader';
import type { VendorContext } from '../../features/strategies/native-strategy';
import type { SecretReader } from '../../features/strategies/secret-reader';
import { processScrubber } from '../../features/strategies/secret-scrubber';
import type { EntityRecord } from '../../shared/entity-record';
import type { UserRecord } from '../../features/users/user-store';

/** What the directory helpers read through. */
export interface DirectoryDeps {
  entities: EntityReader;
  secrets: SecretReader;
  logger: Logger;
  /** Vendor endpoints (`SYM_OKTA_API_URL`, ...) as for the native strategies; default `process.env`. */
  env?: Env;
  /** The environment's runtime role for Secrets Manager reads, as for strategies and PagerDuty; absent: own credentials. */
  credentials?: AwsCredentialResolver;
}

const HOOK_SESSION_NAME = roleSessionName('hooks');

/** The vendor context of `integration`, as the native strategy of the same vendor builds it. */
export function directoryContext(deps: DirectoryDeps, orgId: string, integration: EntityRecord, environmentId: string | null = null): VendorContext {
  const env = deps.env ?? process.env;
  const scrubber = processScrubber(env);
  const name = integration.name ?? integration.id;
  return {
    integration,
    externalId: String(integration.data.external_id ?? ''),
    settings: settingsOf(integration),
    env,
    scrubber,
    logger: deps.logger.child({ orgId, integrationId: integration.id, component: 'directory-helpers' }),
    secret: async (setting) => {
      const id = settingsOf(integration)[setting];
      if (!id) throw new StrategyError(`integration ${name}: settings.${setting} must name the sym_secret holding the credential`, false);
      const location = await loadSecret(deps.entities, orgId, id, name);
      const scope = { orgId, environmentId, sessionName: HOOK_SESSION_NAME };
      const value = await deps.secrets.read(location, deps.credentials ? await secretSourceCredentials(deps.credentials, deps.entities, scope, location.source) : undefined);
      scrubber.add(value);
      return value;
    },
  };
}

/**
 * A vendor failure as the hook sees it: what failed and what to fix, never a secret. The
 * strategies' wording for writes ("missing permission: may not change members", "will retry")
 * is replaced by what a read needs: a hook is not retried by the job queue.
 */
export function hookError(error: unknown, context: Pick<VendorContext, 'scrubber'>, readPermission: string): HostCallError {
  if (error instanceof HostCallError) return new HostCallError(error.code, context.scrubber.scrub(error.message));
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof StrategyError) {
    const reason = (error.details as { reason?: string } | undefined)?.reason;
    if (reason === 'forbidden') message = message.replace(/; missing permission: [\s\S]*$/, `; missing permission: ${readPermission}`);
    message = message.replace(/[;:] will retry$/, '; try again later');
  }
  return new HostCallError('host_error', context.scrubber.scrub(message));
}

/** A person the vendor lists, before matching to OpenSym users. */
export interface DirectoryPerson {
  email: string;
  first_name?: string;
  last_name?: string;
  /** The person's id in the vendor, kept under `identities[service]`. */
  identity: string;
}

/** Sym users for vendor people, matched to OpenSym users by email (their `id` and identities added when known). */
export async function symUsersByEmail(people: DirectoryPerson[], service: string, findByEmails: (emails: string[]) => Promise<Pick<UserRecord, 'id' | 'email' | 'identities'>[]>): Promise<SymUser[]> {
  const emails = [...new Set(people.map((p) => p.email.toLowerCase()))];
  const known = new Map((emails.length ? await findByEmails(emails) : []).map((u) => [u.email.toLowerCase(), u]));
  return people.map((person) => {
    const email = person.email.toLowerCase();
    const user = known.get(email);
    return {
      ...(user && { id: user.id }),
      email,
      username: email,
      first_name: person.first_name ?? '',
      last_name: person.last_name ?? '',
      identities: { ...(user?.identities ?? {}), [service]: person.identity },
    };
  });
}
