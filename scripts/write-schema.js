// Writes the JSON Schemas from the zod schemas that are the contract (run: npm run schema): the results file's,
// and the config file's (what `"$schema"` in a stagebench.config.json points at; shipped in the package).
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/config/json-schema.js';
import { resultsJsonSchema } from '../dist/results/schema.js';

writeFileSync(new URL('../docs/results.schema.json', import.meta.url), resultsJsonSchema());
writeFileSync(new URL('../docs/config.schema.json', import.meta.url), configJsonSchema());
