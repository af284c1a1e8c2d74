/**
 * Go's build info, read from a binary as a stream: the `\xff Go buildinf:` header of the .go.buildinfo
 * section, in the format Go 1.18 and later write (flag 0x2: version and module strings inline, each
 * uvarint-length-prefixed), as Go's debug/buildinfo reads it. Older binaries (pointer format) are not read.
 * Only a sliding window of the file is held, never the whole binary.
 */

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER = 32;
const INLINE_STRINGS = 0x2;
/** The module info of a binary with hundreds of dependencies is tens of kB. */
const MAX_INFO = 1024 * 1024;

export interface GoBuildInfo {
  goVersion: string;
  /** module path@version: the main module (`mod`) and every dependency (`dep`, or its `=>` replacement). */
  modules: string[];
}

/** Reads a uvarint at `pos`: [value, next position], or undefined when the buffer ends first. */
function uvarint(buf: Buffer, pos: number): [number, number] | undefined {
  let value = 0;
  for (let shift = 0, i = pos; i < buf.length && shift < 35; i++, shift += 7) {
    const b = buf[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, i + 1];
  }
  return undefined;
}

type Parsed = GoBuildInfo | 'more' | 'invalid';

function parseAt(buf: Buffer, at: number): Parsed {
  if (buf.length - at < HEADER) return 'more';
  const ptrSize = buf[at + 14];
  const flags = buf[at + 15]!;
  if ((ptrSize !== 4 && ptrSize !== 8) || (flags & INLINE_STRINGS) === 0) return 'invalid';
  const strings: string[] = [];
  let pos = at + HEADER;
  for (let k = 0; k < 2; k++) {
    const len = uvarint(buf, pos);
    if (!len) return 'more';
    if (len[0] > MAX_INFO) return 'invalid';
    if (len[1] + len[0] > buf.length) return 'more';
    strings.push(buf.subarray(len[1], len[1] + len[0]).toString('utf8'));
    pos = len[1] + len[0];
  }
  const [goVersion, framed] = strings as [string, string];
  // The magic also occurs as a constant in binaries that read build info (the go command itself).
  if (!/^(go\d|devel)/.test(goVersion)) return 'invalid';
  // The module info is framed by two 16-byte sentinels (cmd/go's infoStart/infoEnd).
  const info = framed.length >= 33 && framed[framed.length - 17] === '\n' ? framed.slice(16, -16) : '';
  return { goVersion, modules: parseModInfo(info) };
}

/** `mod`/`dep` lines give path and version; a `=>` line replaces the dependency before it. */
export function parseModInfo(info: string): string[] {
  const modules: string[] = [];
  for (const line of info.split('\n')) {
    const [kind, path, version] = line.split('\t');
    if (!path) continue;
    const id = `${path}@${version || '(devel)'}`;
    if (kind === 'mod' || kind === 'dep') modules.push(id);
    else if (kind === '=>' && modules.length > 0) modules[modules.length - 1] = id;
  }
  return modules;
}

/** Feed an ELF file's bytes in order; `result` is set once the build info has been read. */
export class GoBuildInfoScanner {
  result?: GoBuildInfo;
  private window = Buffer.alloc(0);
  private done = false;

  push(chunk: Buffer): void {
    if (this.done) return;
    let buf = this.window.length > 0 ? Buffer.concat([this.window, chunk]) : chunk;
    for (;;) {
      const at = buf.indexOf(MAGIC);
      if (at < 0) {
        // Keep what could be the start of a magic split across chunks.
        this.window = Buffer.from(buf.subarray(Math.max(0, buf.length - (MAGIC.length - 1))));
        return;
      }
      const parsed = parseAt(buf, at);
      if (parsed === 'invalid') {
        buf = buf.subarray(at + 1);
        continue;
      }
      if (parsed === 'more') {
        this.window = Buffer.from(buf.subarray(at));
        if (this.window.length > MAX_INFO + HEADER + 16) this.stop();
        return;
      }
      this.result = parsed;
      this.stop();
      return;
    }
  }

  private stop(): void {
    this.done = true;
    this.window = Buffer.alloc(0);
  }
}
