export const HELP = `stagebench: what does this Dockerfile choice cost? Builds each scenario's Dockerfile variants through
the Docker Engine API and compares image size, layers and build time.

Usage:
  stagebench run [flags]              build and measure every scenario, write results, print the table
  stagebench report [file] [--format] render a results file again (default results/latest.json)
  stagebench report [file] --update <doc>  replace the table between the stagebench markers in <doc>
  stagebench layers [file] [--scenario <name>]  each image's layers, largest first, base vs this Dockerfile
  stagebench steps [file] [--scenario <name>]   each variant's build steps: time and cache hit
  stagebench claims <claims.json> [--results <file>]  check a document's claims against results (Markdown)
  stagebench compare [--baseline <file>] [current.json]  compare results with a baseline under the gate rules
  stagebench baseline update [results.json] [--baseline <file>]  make a clean, complete run the baseline
  stagebench merge <a.json> <b.json> … [--out <dir>]  merge runs of other scenarios (e.g. shards) into one
  stagebench chart [file]             an SVG bar chart (size and build time, per scenario and variant)
  stagebench clean                    remove every image and container stagebench labelled (e.g. after --keep-images)
  stagebench --help | --version

Flags for run:
  --scenarios <dir>          folder with one sub-folder per scenario            (default: scenarios)
  --scenario <name>          only this scenario; repeat for more                (default: all)
  --builder buildkit|classic Engine builder: BuildKit (version=2) or classic    (default: buildkit)
  --out <dir>                where latest.json, latest.md and runs/ go          (default: results)
  --format table|markdown|json  what goes to stdout                             (default: table)
  --profile <name>           build-arg mapping and services from the config file (env STAGEBENCH_PROFILE)
  --config <file>            config file                                        (default: stagebench.config.json if present)
  --keep-images              keep the built images (tagged stagebench/<scenario>:<variant>)
  --runs <n>                 timed builds per variant, interleaved across variants (default: 1)
  --warmup <n>               untimed builds per variant before the timed ones     (default: 0)
  --mode <list>              cache modes per round, any of cold,warm,incremental (incremental: scenario.json)
  --no-compressed            skip the pull size (a gzip of every new layer: about 10 s per 150 MB)
  --no-cache                 build without the layer cache (local base images are still used)
  --no-smoke                 skip the smoke checks declared in scenario.json
  --shard <i>/<n>            only the i-th of n shares of the scenarios (sorted, dealt round-robin)
  --baseline <file>          compare with this results file afterwards (exit 1 on a regression)

Flags for compare and run --baseline (compare also takes --format, and --out for its default file):
  --report <file>            also write the comparison as Markdown to <file>
  --config <file>            the gate rules ("gate" in stagebench.config.json)
  --allow-engine-mismatch    compare with a baseline from another engine, storage driver or builder
  With GITHUB_STEP_SUMMARY set, the Markdown is appended there; with GITHUB_ACTIONS=true, failing rows
  become ::error and warnings ::warning annotations.

A scenario is a folder holding Dockerfile.single (variant "single") and Dockerfile (variant "multi");
any Dockerfile.<v> adds variant <v>. An optional scenario.json sets build args, target, network and a smoke check.

Exit codes:
  0  every variant built (and passed its smoke check)
  1  a regression against the baseline (compare, run --baseline)
  2  usage or configuration error (nothing was built), or a baseline from another engine
  3  engine or build error: the engine is unreachable, or a variant failed to build or its smoke check
  130 interrupted (Ctrl-C); results measured so far are kept

Environment: DOCKER_HOST selects the engine (unix://, tcp://, ssh://); NO_COLOR turns colour off;
GITHUB_STEP_SUMMARY and GITHUB_ACTIONS as above.
`;
