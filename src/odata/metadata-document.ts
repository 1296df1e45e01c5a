import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file of each API version's metadata document (see metadata/README.md for their public source). */
const FILES = { 'v1.0': 'csdl-callrecords-v1.xml', beta: 'csdl-callrecords-beta.xml' } as const;

// Both src/odata (run by tsx) and dist/odata (compiled) are two levels below the repository root, where the XML
// files stay: the build does not copy them.
const FOLDER = join(import.meta.dirname, '../../src/odata/metadata');

/** The CSDL (an `edmx:Edmx` XML document) of the callRecords namespace for one API version, as bytes. */
export function metadataDocument(version: keyof typeof FILES): Buffer {
  return readFileSync(join(FOLDER, FILES[version]));
}
