// The only functions the Python engine can call: our own `wasi_snapshot_preview1` import object.
// It is deliberately not `node:wasi`: there are no arguments beyond the interpreter's own, no
// environment, no preopened directories, no sockets and no clocks beyond time itself. File
// descriptor 0 carries jobs and host replies in, 1 carries protocol messages out, 2 carries the
// interpreter's own error output. Every other call answers EBADF or ENOSYS, so whatever Python
// code does (open, os, socket, subprocess, ctypes is not built), it reaches nothing of the host.
import { randomFillSync } from 'node:crypto';
import type { WasmImports, WasmMemory } from './wasm-api';

const ESUCCESS = 0;
const EBADF = 8;
const ENOSYS = 52;
const ESPIPE = 70;
const FILETYPE_CHARACTER_DEVICE = 2;
const CLOCK_REALTIME = 0;

/** Thrown by `proc_exit`: the interpreter finished (or called `sys.exit`). */
export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`the Python interpreter exited with status ${code}`);
  }
}

/** What the shim connects the interpreter's standard streams to. */
export interface WasiStreams {
  /** Blocks until input is available for fd 0 and returns it (an empty array at end of input). */
  readInput(): Uint8Array;
  /** Bytes the interpreter wrote to fd 1 (protocol) or fd 2 (its own error output). */
  write(fd: 1 | 2, bytes: Uint8Array): void;
}

/** Builds the import object; `memory()` returns the instance's memory once it exists. */
export function createWasiImports(argv: readonly string[], streams: WasiStreams, memory: () => WasmMemory): WasmImports {
  const encoder = new TextEncoder();
  const args = argv.map((arg) => encoder.encode(`${arg}\0`));
  let pending: Uint8Array = new Uint8Array(0);
  const view = () => new DataView(memory().buffer);
  const bytes = () => new Uint8Array(memory().buffer);

  const iovecs = (ptr: number, count: number): Array<{ buf: number; len: number }> => {
    const dv = view();
    const out = [];
    for (let i = 0; i < count; i++) out.push({ buf: dv.getUint32(ptr + i * 8, true), len: dv.getUint32(ptr + i * 8 + 4, true) });
    return out;
  };
  const isStd = (fd: number) => fd === 0 || fd === 1 || fd === 2;

  const wasi = {
    args_sizes_get(countPtr: number, sizePtr: number): number {
      const dv = view();
      dv.setUint32(countPtr, args.length, true);
      dv.setUint32(
        sizePtr,
        args.reduce((sum, arg) => sum + arg.length, 0),
        true,
      );
      return ESUCCESS;
    },
    args_get(argvPtr: number, bufPtr: number): number {
      const dv = view();
      let at = bufPtr;
      args.forEach((arg, i) => {
        dv.setUint32(argvPtr + i * 4, at, true);
        bytes().set(arg, at);
        at += arg.length;
      });
      return ESUCCESS;
    },
    environ_sizes_get(countPtr: number, sizePtr: number): number {
      view().setUint32(countPtr, 0, true);
      view().setUint32(sizePtr, 0, true);
      return ESUCCESS;
    },
    environ_get(): number {
      return ESUCCESS;
    },
    clock_res_get(_id: number, resPtr: number): number {
      view().setBigUint64(resPtr, 1000n, true);
      return ESUCCESS;
    },
    clock_time_get(id: number, _precision: bigint, timePtr: number): number {
      const now = id === CLOCK_REALTIME ? BigInt(Date.now()) * 1_000_000n : process.hrtime.bigint();
      view().setBigUint64(timePtr, now, true);
      return ESUCCESS;
    },
    random_get(ptr: number, len: number): number {
      randomFillSync(bytes(), ptr, len);
      return ESUCCESS;
    },
    fd_write(fd: number, iovsPtr: number, iovsLen: number, writtenPtr: number): number {
      if (fd !== 1 && fd !== 2) return EBADF;
      let total = 0;
      for (const { buf, len } of iovecs(iovsPtr, iovsLen)) {
        if (len === 0) continue;
        streams.write(fd, bytes().slice(buf, buf + len));
        total += len;
      }
      view().setUint32(writtenPtr, total, true);
      return ESUCCESS;
    },
    fd_read(fd: number, iovsPtr: number, iovsLen: number, readPtr: number): number {
      if (fd !== 0) return EBADF;
      if (pending.length === 0) pending = streams.readInput();
      let total = 0;
      for (const { buf, len } of iovecs(iovsPtr, iovsLen)) {
        if (pending.length === 0) break;
        const n = Math.min(len, pending.length);
        bytes().set(pending.subarray(0, n), buf);
        pending = pending.subarray(n);
        total += n;
      }
      view().setUint32(readPtr, total, true);
      return ESUCCESS;
    },
    fd_fdstat_get(fd: number, statPtr: number): number {
      if (!isStd(fd)) return EBADF;
      const dv = view();
      dv.setUint8(statPtr, FILETYPE_CHARACTER_DEVICE);
      dv.setUint16(statPtr + 2, 0, true);
      // Rights: read for fd 0, write for 1 and 2, nothing else.
      dv.setBigUint64(statPtr + 8, fd === 0 ? 2n : 64n, true);
      dv.setBigUint64(statPtr + 16, 0n, true);
      return ESUCCESS;
    },
    fd_filestat_get(fd: number, statPtr: number): number {
      if (!isStd(fd)) return EBADF;
      bytes().fill(0, statPtr, statPtr + 64);
      view().setUint8(statPtr + 16, FILETYPE_CHARACTER_DEVICE);
      return ESUCCESS;
    },
    fd_fdstat_set_flags: (fd: number) => (isStd(fd) ? ESUCCESS : EBADF),
    fd_prestat_get: () => EBADF,
    fd_prestat_dir_name: () => EBADF,
    fd_close: (fd: number) => (isStd(fd) ? ESUCCESS : EBADF),
    fd_seek: (fd: number) => (isStd(fd) ? ESPIPE : EBADF),
    fd_tell: (fd: number) => (isStd(fd) ? ESPIPE : EBADF),
    fd_sync: (fd: number) => (isStd(fd) ? ESUCCESS : EBADF),
    fd_datasync: (fd: number) => (isStd(fd) ? ESUCCESS : EBADF),
    proc_exit(code: number): number {
      throw new ProcExit(code);
    },
    sched_yield: () => ESUCCESS,
    // Sleeping would hold a thread without using CPU; there is no timer for guests (as in QuickJS).
    poll_oneoff: () => ENOSYS,
  } as Record<string, (...args: never[]) => number>;

  // Files, directories, links and sockets: there are none.
  const refused = [
    'fd_advise',
    'fd_allocate',
    'fd_filestat_set_size',
    'fd_filestat_set_times',
    'fd_pread',
    'fd_pwrite',
    'fd_readdir',
    'fd_renumber',
    'path_create_directory',
    'path_filestat_get',
    'path_filestat_set_times',
    'path_link',
    'path_open',
    'path_readlink',
    'path_remove_directory',
    'path_rename',
    'path_symlink',
    'path_unlink_file',
  ];
  for (const name of refused) wasi[name] = () => EBADF;
  for (const name of ['sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown', 'proc_raise']) wasi[name] = () => ENOSYS;
  return { wasi_snapshot_preview1: wasi };
}
