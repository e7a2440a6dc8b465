import type { Readable } from 'node:stream';

/** The longest line the exchange reads, in bytes of UTF-8 without its line ending. */
export const MAX_LINE_BYTES = 64 * 1024;

/** A non-blank line of an NDJSON stream: its text, or why it cannot be read at all. */
export type NdjsonLine =
  { lineNumber: number; text: string } | { lineNumber: number; text: null; error: string };

export interface ReadNdjsonOptions {
  maxLineBytes?: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Reads an NDJSON stream line by line, pulling the next chunk only when the consumer asks for the next
 * line (so a slow consumer holds the file back). Line numbers are 1-based and count every line; blank
 * lines (whitespace only) are skipped. A CRLF ending is tolerated, and a UTF-8 byte order mark at the
 * start of line 1. A line over `maxLineBytes` is reported as an error once its limit is passed, and
 * its remaining bytes are skipped rather than buffered; a line that is not valid UTF-8 is reported too.
 */
export async function* readNdjson(
  input: Readable | AsyncIterable<Uint8Array | string>,
  { maxLineBytes = MAX_LINE_BYTES }: ReadNdjsonOptions = {},
): AsyncGenerator<NdjsonLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  // Room for a BOM on line 1 and a carriage return; the exact limit is checked when the line ends.
  const keepAtMost = maxLineBytes + BOM.length + 1;
  let pieces: Buffer[] = [];
  let size = 0;
  let overLong = false;
  let started = false;
  let lineNumber = 0;

  const append = (piece: Buffer) => {
    started = true;
    if (overLong || piece.length === 0) return;
    if (size + piece.length > keepAtMost) {
      overLong = true;
      pieces = [];
      size = 0;
      return;
    }
    pieces.push(piece);
    size += piece.length;
  };

  const finish = (): NdjsonLine | null => {
    lineNumber += 1;
    const tooLong = { lineNumber, text: null, error: `line is longer than ${maxLineBytes} bytes` };
    if (overLong) return tooLong;
    let bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, size);
    if (lineNumber === 1 && BOM.every((b, i) => bytes[i] === b)) bytes = bytes.subarray(BOM.length);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) bytes = bytes.subarray(0, -1);
    if (bytes.length > maxLineBytes) return tooLong;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return { lineNumber, text: null, error: 'line is not valid UTF-8' };
    }
    return text.trim() === '' ? null : { lineNumber, text };
  };

  const reset = () => {
    pieces = [];
    size = 0;
    overLong = false;
    started = false;
  };

  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : toBuffer(chunk);
    let start = 0;
    while (start < buffer.length) {
      const newline = buffer.indexOf(NEWLINE, start);
      if (newline === -1) {
        append(buffer.subarray(start));
        break;
      }
      append(buffer.subarray(start, newline));
      started = true;
      const line = finish();
      reset();
      if (line) yield line;
      start = newline + 1;
    }
  }
  if (started) {
    const line = finish();
    if (line) yield line;
  }
}

const toBuffer = (chunk: Uint8Array): Buffer =>
  Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
