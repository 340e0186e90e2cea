/**
 * The contract between evidence and the rest of Loupe. A reader recognises its format from the
 * first bytes of an input (never from the file name alone), then streams the input into
 * `Event`s, reporting each damaged record as an error with where it was and going on.
 */
import type { Readable } from 'node:stream';
import type { Event } from '../normalize/event.js';

/** One input: a file on disk, or a member of an archive (already decompressed when read). */
export interface Input {
  /** How the user will recognise it: `dir/x.zip!/inner/y.json`. */
  name: string;
  /** Size in bytes when known (for progress); for archive members, the uncompressed size. */
  size?: number;
  /** The first bytes (up to 64 KiB), for format detection. */
  head: Buffer;
  /** A fresh stream over the whole content, decompressed. */
  open(): Readable;
  /** A path on disk when the input is a plain file (lets readers seek or hand it to workers). */
  path?: string;
  /**
   * Problems the archive layer met while decompressing this input (a truncated gzip stream, a
   * short tar member). Filled as the content is read; the pipeline reports them afterwards.
   */
  notes?: string[];
}

export interface Location {
  line?: number;
  record?: number;
  offset?: number;
}

export interface ReadContext {
  /** Report one damaged or unreadable record; the reader then carries on. */
  error(where: Location, reason: string): void;
  /** Report progress in bytes of the input consumed (for progress bars). */
  progress?(bytes: number): void;
  /** Free-form facts about the evidence (capture span, sandbox sample hash, ...), shown in the summary. */
  fact?(key: string, value: unknown): void;
  /**
   * Options the user gave for readers (`loupe analyze --field-map`, `--reader-option k=v`), by
   * name: `fieldMap` (path of a field map file), `procmon.date`, ... Readers ignore what they do
   * not know.
   */
  options?: Record<string, unknown>;
}

export interface Reader {
  /** Short id shown to users and stored with the evidence: `evtx`, `nxlog-json`, `zeek-tsv`, ... */
  readonly format: string;
  /** Human name for help texts. */
  readonly description: string;
  /**
   * How sure the reader is that the input is its format, from 0 (not mine) to 1 (certain), looking
   * at `input.head`. The highest score wins; ties go to the earlier reader in the registry.
   * `options` are the user's reader options (see ReadContext.options): a reader that applies only
   * when asked (the generic JSON reader with `--field-map`) looks there.
   */
  sniff(input: Input, options?: Record<string, unknown>): number;
  /** Streams the events, in batches to keep per-event overhead low. */
  read(input: Input, ctx: ReadContext): AsyncIterable<Event[]>;
}
