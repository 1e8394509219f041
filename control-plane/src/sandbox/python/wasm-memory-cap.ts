// Gives a WebAssembly binary's own (defined, not imported) memory a maximum. The CPython build
// declares none, so without this a guest could grow the heap to 4 GiB; with it, allocations past
// the cap fail inside CPython and the guest gets a MemoryError (DECISIONS.md §8).

const MEMORY_SECTION = 5;

function readLeb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const byte = bytes[i++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return { value, next: i };
    shift += 7;
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    out.push(byte);
  } while (rest > 0);
  return out;
}

/** Returns a copy of `binary` whose first defined memory has at most `maxPages` 64 KiB pages. */
export function capWasmMemory(binary: Uint8Array, maxPages: number): Uint8Array {
  if (binary[0] !== 0 || binary[1] !== 0x61 || binary[2] !== 0x73 || binary[3] !== 0x6d) throw new Error('not a WebAssembly binary');
  let at = 8;
  while (at < binary.length) {
    const id = binary[at];
    const size = readLeb(binary, at + 1);
    const start = size.next;
    const end = start + size.value;
    if (id === MEMORY_SECTION) {
      const count = readLeb(binary, start);
      if (count.value !== 1) throw new Error(`expected one memory, found ${count.value}`);
      const flags = binary[count.next];
      if (flags !== 0 && flags !== 1) throw new Error(`unsupported memory flags ${flags}`);
      const min = readLeb(binary, count.next + 1);
      if (min.value > maxPages) throw new Error(`the memory starts at ${min.value} pages, above the cap of ${maxPages}`);
      const afterLimits = flags === 1 ? readLeb(binary, min.next).next : min.next;
      const content = [...leb(1), 1, ...leb(min.value), ...leb(maxPages), ...binary.subarray(afterLimits, end)];
      const section = [MEMORY_SECTION, ...leb(content.length), ...content];
      const out = new Uint8Array(at + section.length + (binary.length - end));
      out.set(binary.subarray(0, at), 0);
      out.set(section, at);
      out.set(binary.subarray(end), at + section.length);
      return out;
    }
    at = end;
  }
  throw new Error('the binary defines no memory');
}
