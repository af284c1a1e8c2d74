import { pullQuery } from '../../../harness/engine/docker-engine.js';

test.each([
  ['debian', { fromImage: 'debian', tag: 'latest' }],
  ['debian:bookworm-slim', { fromImage: 'debian', tag: 'bookworm-slim' }],
  ['127.0.0.1:5000/stagebench/app', { fromImage: '127.0.0.1:5000/stagebench/app', tag: 'latest' }],
  ['127.0.0.1:5000/stagebench/app:multi-1', { fromImage: '127.0.0.1:5000/stagebench/app', tag: 'multi-1' }],
  [`node@sha256:${'a'.repeat(64)}`, { fromImage: 'node', tag: `sha256:${'a'.repeat(64)}` }],
  [`registry:5000/node:18@sha256:${'b'.repeat(64)}`, { fromImage: 'registry:5000/node:18', tag: `sha256:${'b'.repeat(64)}` }],
])('POST /images/create for %s asks for one tag or digest, never every tag', (ref, query) => expect(pullQuery(ref)).toEqual(query));
