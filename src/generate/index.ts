/** The generator's public API: realistic, seeded Graph call records (README.md in this folder). */
export { generateRecords, writeGeneratedNdjson, type GenerateOptions } from './generate-records.js';
