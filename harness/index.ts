/** The library API: what the CLI is built from, for use without it. Nothing here reads process. */
export { DockerEngine } from './engine/docker-engine.js';
export type { Engine, EngineFacts } from './engine/engine.js';
export { runBench, type BenchOptions, type Progress } from './measure/run-bench.js';
export { discoverScenarios, type Scenario } from './scenarios/discover.js';
export { readResults, writeResults } from './results/io.js';
export { ResultsSchema, type Results } from './results/schema.js';
export { renderMarkdown } from './report/markdown.js';
export { renderTerminal } from './report/terminal.js';
export { run as runCli, type CliIo } from './cli/main.js';
export { compareResults, type GateReport, type GateRow } from './compare/compare.js';
export { GateConfigSchema, type GateConfig } from './compare/rules.js';
export { mergeResults } from './results/merge.js';
export { renderGateMarkdown } from './report/gate.js';
export { renderChart } from './report/chart.js';
