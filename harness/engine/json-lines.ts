import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/**
 * Reads a newline-delimited JSON response stream. Decodes UTF-8 across chunk boundaries (a character split
 * between chunks stays whole) and reports lines that are not JSON instead of throwing inside the handler.
 */
export function readJsonLines(stream: Readable, onMessage: (msg: Record<string, unknown>) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    // The unfinished line, in pieces: a long message arriving in many chunks is joined once, not per chunk.
    let pending: string[] = [];
    const flush = (text: string) => {
      if (!text.includes('\n')) {
        pending.push(text);
        return;
      }
      const lines = (pending.join('') + text).split('\n');
      pending = [lines.pop() ?? ''];
      for (const line of lines) emit(line);
    };
    const emit = (line: string) => {
      if (line.trim() === '') return;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        msg = { stream: `${line}\n` };
      }
      onMessage(msg);
    };
    stream.on('data', (chunk: Buffer) => {
      try {
        flush(decoder.write(chunk));
      } catch (err) {
        // A failing handler ends the read (and the request) instead of escaping as an uncaught exception.
        stream.destroy();
        reject(err);
      }
    });
    stream.on('end', () => {
      try {
        flush(decoder.end());
        emit(pending.join(''));
        resolve();
      } catch (err) {
        reject(err);
      }
    });
    stream.on('error', reject);
    stream.on('close', () => reject(new Error('the engine closed the response stream early')));
  });
}
