/** The library API: what the CLI is built from, for use without it. Nothing here reads process. */
export { DockerEngine } from './engine/docker-engine.js';
export type { Engine } from './engine/engine.js';
export { runBench } from './measure/run-bench.js';
export type { BenchOptions, MeasureOptions } from './measure/options.js';
export type { Progress } from './progress.js';
export { discoverScenarios, type Scenario } from './scenarios/discover.js';
export { readResults } from './results/io.js';
export { writeResults } from './output/publish.js';
export { ResultsSchema, type EngineFacts, type Results } from './results/schema.js';
export { renderMarkdown } from './report/markdown.js';
export { renderTerminal } from './report/terminal.js';
export { run as runCli } from './cli/main.js';
export type { CliIo } from './cli/io.js';
export { compareResults, type GateReport, type GateRow } from './compare/compare.js';
export { GateConfigSchema, type GateConfig } from './config/gate-schema.js';
export { mergeResults } from './results/merge.js';
export { renderGateMarkdown } from './report/gate.js';
export { renderChart } from './report/chart.js';
