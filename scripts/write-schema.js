// Writes docs/results.schema.json from the zod schema that is the contract (run: npm run schema).
import { writeFileSync } from 'node:fs';
import { resultsJsonSchema } from '../dist/results/schema.js';

writeFileSync(new URL('../docs/results.schema.json', import.meta.url), resultsJsonSchema());
