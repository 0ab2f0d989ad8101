import { type MetadataJson, parsePhoneNumberFromString as parseWithMetadata } from 'libphonenumber-js/core';
// The metadata as text (vite.config.ts maps this name to libphonenumber-js's metadata.max.json).
import metadataText from 'libphonenumber-js-max-metadata?raw';

let metadata: MetadataJson | undefined;

/**
 * The PWA's `libphonenumber-js/max` (vite.config.ts points @desk/core's phone.ts here): the same parser
 * and the same metadata, read when a number is first parsed. The package's own entry builds its 157 KB
 * metadata object literal when its module is evaluated, and that module is in the ticket list's chunk
 * graph (through core's contact schemas): on a phone-class CPU its evaluation was part of every start,
 * though only the users page and contact changes parse a phone number.
 */
export function parsePhoneNumberFromString(text: string) {
  metadata ??= JSON.parse(metadataText) as MetadataJson;
  return parseWithMetadata(text, metadata);
}
