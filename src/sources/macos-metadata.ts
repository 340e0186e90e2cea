/**
 * macOS writes AppleDouble files (`__MACOSX/._name`) beside files it zips: resource forks and
 * extended attributes, never evidence. They are recognised and listed with no events, so that
 * they neither pass for unreadable evidence nor disappear without a word.
 */
import type { Event } from '../normalize/event.js';
import type { Input, ReadContext, Reader } from './types.js';

export const macosMetadataReader: Reader = {
  format: 'macos-metadata',
  description: 'macOS AppleDouble metadata (__MACOSX/._*): listed, nothing to read',
  sniff(input: Input): number {
    return input.head.length >= 8 && input.head.readUInt32BE(0) === 0x00051607 ? 1 : 0;
  },
  // eslint-disable-next-line require-yield
  async *read(_input: Input, ctx: ReadContext): AsyncGenerator<Event[]> {
    ctx.fact?.('note', 'macOS metadata, not evidence');
  },
};
