/**
 * The largest gRPC message a MicroNote server or client sends or accepts (both ways, set on every
 * server and channel). Larger than anything the API makes: a list page is capped at
 * PAGE_MAX_BYTES, an import request is at most the REST body limit (1 MiB), an export streams
 * one item per message, and one note is at most 100,000 characters (≤ 400 KB of UTF-8).
 */
export const GRPC_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** A list page carries at most this many bytes of items: a page of large notes comes back shorter, with a nextCursor. */
export const PAGE_MAX_BYTES = 2 * 1024 * 1024;

/**
 * How many of `items` (in order) fit in `maxBytes` by `sizeOf`: at least one, so a page always
 * makes progress (one item is far below the gRPC message limit).
 */
export function fitsInPage<T>(items: readonly T[], sizeOf: (item: T) => number, maxBytes = PAGE_MAX_BYTES): number {
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    bytes += sizeOf(items[i]);
    if (bytes > maxBytes) return Math.max(1, i);
  }
  return items.length;
}
