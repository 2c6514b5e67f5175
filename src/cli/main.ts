#!/usr/bin/env node
/**
 * The `avsim` command. Every error ends as one line on stderr and an exit
 * code (2 bad input, 1 failed check or run); AVSIM_DEBUG=1 prints the stack.
 */
import { Command, CommanderError, Option } from 'commander';
import { ScenarioError } from '../scenario/problems.js';
import { scenarioJsonSchemaText } from '../scenario/json-schema.js';
import { checkCommand, type CheckFlags } from './commands/check.js';
import { verifyDbCommand } from './commands/verify-db.js';
import { clusterExportCommand, type ClusterExportFlags } from './commands/cluster-export.js';
import { clusterRunCommand, DEFAULT_MAX_NODES, type ClusterRunFlags } from './commands/cluster-run.js';
import { compareCommand, type CompareFlags } from './commands/compare.js';
import { nodeCommand } from './commands/node.js';
import { mergeCommand } from './commands/merge.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { sweepCommand, type SweepFlags } from './commands/sweep.js';
import { validateCommand } from './commands/validate.js';
import { EXIT_BAD_INPUT, UsageError } from './errors.js';
import { describeFsError, IoProblem, isFsError } from '../io/errno.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const EXIT_CODES_HELP = `
Exit codes:
  0    ok
  1    a check failed, a run hit a limit (--max-wall, limits.*), or a sweep task failed; the repro command is printed
  2    bad input: a flag, a scenario file, an output path or a results directory (one line naming it and the rule)
  130  a sweep stopped by SIGINT (Ctrl-C); 143 by SIGTERM (finished results are kept; continue with --resume)

Environment:
  AVSIM_DEBUG=1               print the stack of an unexpected error
  AVSIM_PROGRESS=1            progress lines even when stderr is not a terminal (as --progress)
  AVSIM_PROGRESS_INTERVAL=S   into a log, at most one progress line per S seconds (default 60; 0: one per finished task)
`;

const TRACE_HELP = `
Trace file (--trace FILE): JSON lines, one per processed event, in event order:
  {"timeUs":70045,"kind":"arrive","node":11,"from":0,"seq":3,"outcome":"ok","tag":6,"detail":{"kind":"tx-gossip","txs":1}}
  timeUs   simulated time in µs            kind     fault | arrive | client | process | timer
  node     destination node (-1: run-level) from     sender (the node itself for timers, -1 for faults and clients)
  seq      the sender's sequence number    outcome  ok | dropped-crashed | stale | ... (what became of the event)
  tag      message type or timer tag       detail   the message (block ids, tx counts) or the fault
With several seeds each goes to FILE.s<seed>. --trace-nodes and --trace-window pick what is written.

--workers N splits one run's nodes over N threads with the same result; it needs a
positive minimum one-way latency (the lookahead): constant latency > 0, uniform with
min > 0, lognormal or regions with min > 0 (the shipped experiments have one).
`;

/** Set by an action; commander's own parse result carries no exit code. */
let exitCode = 0;

/** Commander's error as one line, keeping its "(Did you mean --seed?)" suggestion. */
function commanderErrorLine(text: string): string {
  const lines = text.trimEnd().split('\n').map((l) => l.trim());
  const suggestion = lines.find((l) => l.startsWith('(Did you mean'));
  return [lines[0] ?? '', ...(suggestion === undefined ? [] : [suggestion])].join(' ');
}

function buildProgram(): Command {
  const program = new Command('avsim')
    .description('Deterministic discrete-event simulator of Avalanche-family consensus')
    .version('0.1.0')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`${commanderErrorLine(text)}\n`) })
    .addHelpText('after', EXIT_CODES_HELP);

  program
    .command('validate')
    .description('validate a scenario file and list every problem (exit 2 when invalid)')
    .argument('<file>', 'scenario YAML file')
    .option('--set <path=value>', 'override a field, e.g. nodes.count=500 (repeatable)', collect)
    .action((file: string, opts: { set?: string[] }) => {
      exitCode = validateCommand(file, opts);
    });

  program
    .command('run')
    .description('run a scenario once per seed; exit 1 when a check fails, 2 for bad input')
    .argument('<file>', 'scenario YAML file')
    .option('--seed <n>', 'run only this seed')
    .option('--set <path=value>', 'override a field, e.g. nodes.count=500 (repeatable)', collect)
    .option('--out <dir>', 'write runs/<id>.json, runs.csv, points.csv, throughput.csv here')
    .option('--json', 'print one JSON summary per run on stdout')
    .option('--trace <file>', 'write the event trace to this file')
    .option('--trace-nodes <ids>', 'trace only these nodes, e.g. 1,2')
    .option('--trace-window <from..to>', 'trace only this simulated-time window, e.g. 10s..20s')
    .option('--workers <n>', 'split the simulation across n worker threads (same results for any n; needs a latency floor, see below)')
    .option('--max-wall <duration>', 'end each run (each seed) after this much wall time, e.g. 10m or 2h: it stops with limit max-wall (exit 1) and its partial results are still printed and written, labelled')
    .addOption(new Option('--progress', 'show the progress bar even when stderr is not a terminal'))
    .addOption(new Option('--no-progress', 'never show the progress bar'))
    .addHelpText('after', TRACE_HELP)
    .action(async (file: string, opts: Parameters<typeof runCommand>[1]) => {
      exitCode = await runCommand(file, opts);
    });

  program
    .command('sweep')
    .description('run every sweep point x seed of a scenario on worker threads, then write the results tables and report')
    .argument('<file>', 'scenario YAML file')
    .option('--workers <n>', 'worker threads (default: cores)')
    .option('--out <dir>', 'output directory (default: results/<file name>)')
    .option('--resume', 'continue the sweep already in --out (skip finished tasks)')
    .option('--replace', 'run afresh into a new directory and swap it in for --out when the sweep finishes')
    .option('--shard <i/n>', 'run only shard i of n (for several machines; combine with avsim merge)')
    .option('--set <path=value>', 'override a field (repeatable)', collect)
    .option('--no-report', 'skip plots and report.html (results tables are still written)')
    .option('--no-png', 'skip PNG rendering in the report')
    .option('--max-wall <duration>', 'end each task after this much wall time, e.g. 30m: it stops with limit max-wall and its partial result is kept, labelled, and counted as done (a new limit is a new sweep: use --replace)')
    .addOption(new Option('--no-progress', 'never show the progress bar'))
    .action(async (file: string, opts: SweepFlags) => {
      exitCode = await sweepCommand(file, opts);
    });

  program
    .command('merge')
    .description('merge the shard directories of one sweep into one directory')
    .argument('<out>', 'output directory')
    .argument('<shards...>', 'shard directories')
    .action(async (out: string, dirs: string[]) => {
      exitCode = await mergeCommand(out, dirs);
    });

  program
    .command('report')
    .description('write tables, plots (SVG, PNG, Vega-Lite) and report.html for a results directory')
    .argument('<dir>', 'results directory (holding runs/*.json)')
    .option('--no-png', 'skip PNG rendering')
    .option('--title <text>', 'report title')
    .action(async (dir: string, opts: { png?: boolean; title?: string }) => {
      exitCode = await reportCommand(dir, opts);
    });

  program
    .command('check')
    .description('the safety-threshold regression gate (exit non-zero on regression)')
    .argument('<file>', 'scenario file with a gate section (e.g. experiments/bft-threshold-reduced.yaml)')
    .option('--seeds <n>', 'run seeds 1..N instead of the gate\'s seeds')
    .option('--workers <n>', 'worker threads (default: min(2, cores)); 1 runs in-process')
    .option('--out <dir>', 'also write runs/<id>.json (each as it finishes, indexed in sweep.json), the results tables, gate.txt and plots/ (outcome, latency, poll success vs analytic) here')
    .option('--resume', 'continue the check in --out: keep the runs whose files are complete and unchanged, run the rest')
    .action(async (file: string, opts: CheckFlags) => {
      exitCode = await checkCommand(file, opts);
    });

  const cluster = program.command('cluster').description('real clusters: runs against real node processes on this machine (docs/cluster.md), deployment files');
  cluster
    .command('export')
    .description('write a Docker Compose project or Kubernetes manifests (+ Chaos Mesh faults) for a scenario')
    .argument('<file>', 'scenario YAML file')
    .requiredOption('--target <compose|k8s>', 'what to write: compose or k8s')
    .requiredOption('--out <dir>', 'new or empty directory for the files')
    .option('--seed <n>', 'seed (node sets of faults, Byzantine nodes); default: the scenario\'s first')
    .option('--set <path=value>', 'override a field (repeatable)', collect)
    .option('--image <ref>', 'node image (default avsim-node:0.1.0; build it with deploy/k8s/Dockerfile)')
    .option('--namespace <ns>', 'Kubernetes namespace (default avsim)')
    .option('--cpus <q>', 'CPU per node, e.g. 1 or 500m (default 1)')
    .option('--memory <q>', 'memory per node, e.g. 1Gi (default 1Gi)')
    .option('--storage <q>', 'store volume per node, e.g. 2Gi (default 2Gi)')
    .option('--storage-class <name>', 'Kubernetes StorageClass of the store volumes')
    .option('--real-signatures', 'nodes sign and verify with ML-DSA-65 (default: charged as the scenario\'s cpu costs)')
    .action((file: string, opts: ClusterExportFlags) => {
      exitCode = clusterExportCommand(file, opts);
    });

  cluster
    .command('run')
    .description('run a scenario once per seed against real node processes; same file, flags and results as avsim run')
    .argument('<file>', 'scenario YAML file')
    .option('--seed <n>', 'run only this seed')
    .option('--set <path=value>', 'override a field, e.g. nodes.count=20 (repeatable)', collect)
    .option('--out <dir>', 'write runs/<id>.json, runs.csv, points.csv, throughput.csv here')
    .option('--json', 'print one JSON summary per run on stdout')
    .option('--max-nodes <n>', `refuse scenarios with more nodes than this (default ${DEFAULT_MAX_NODES})`)
    .option('--nodes-per-process <n>', 'validators per OS process (default 1: kill -9 kills exactly one node)')
    .option('--signatures <mode>', 'real (ML-DSA-65 signed and verified for real, the default) or modelled (charged as the scenario cpu section says)')
    .option('--keep', 'keep the run directory (data dirs, histories, logs)')
    .option('--work-dir <dir>', 'where run directories go (default: the OS temp dir)')
    .option('--kernel-net', 'root: every node in its own network namespace; partitions as nftables drop rules, bandwidth as tc token buckets (latency stays emulated in the transport)')
    .option('--prometheus', 'start a real Prometheus on loopback (1 s scrapes, data in <out>/prometheus or the run directory) and cross-check its totals at the end')
    .addOption(new Option('--progress', 'show the progress bar even when stderr is not a terminal'))
    .addOption(new Option('--no-progress', 'never show the progress bar'))
    .action(async (file: string, opts: ClusterRunFlags) => {
      exitCode = await clusterRunCommand(file, opts);
    });

  program
    .command('node')
    .description('one real node process (started by avsim cluster run)')
    .option('--config <file>', 'the process config the harness writes')
    .action(async (opts: { config?: string }) => {
      exitCode = await nodeCommand(opts);
    })
    .command('verify-db')
    .description("check a stopped node's store: checksums, contiguous heights, parent links, last accepted (exit 1 with the first inconsistency)")
    .argument('<dir>', 'the node directory (holding db/) or the store directory itself')
    .action(async (dir: string) => {
      exitCode = await verifyDbCommand(dir);
    });

  program
    .command('compare')
    .description('simulated against real: ratios, KS distance, CDF and throughput overlays, verdict against tolerances')
    .argument('<sim>', 'results directory of avsim run --out')
    .argument('<real>', 'results directory of avsim cluster run --out')
    .option('--out <dir>', 'write compare.json, compare.md and the overlay plots here (default: <real>/compare)')
    .option('--tps-tolerance <pct>', 'TPS within this many percent (default 5)')
    .option('--p50-tolerance <pct>', 'latency p50 within this many percent (default 15)')
    .option('--p95-tolerance <pct>', 'latency p95 within this many percent (default 15)')
    .option('--no-png', 'skip PNG rendering of the overlays')
    .action(async (sim: string, real: string, opts: CompareFlags) => {
      exitCode = await compareCommand(sim, real, opts);
    });

  program
    .command('schema')
    .description('print the scenario JSON Schema (experiments/scenario.schema.json)')
    .action(() => {
      process.stdout.write(scenarioJsonSchemaText());
    });

  // Every command's help ends with the exit codes and environment variables.
  for (const command of program.commands) command.addHelpText('after', EXIT_CODES_HELP);
  return program;
}

function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0] ?? text;
}

export async function main(argv: readonly string[]): Promise<number> {
  exitCode = 0;
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; commander already printed its one-line error.
      return e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (e instanceof ScenarioError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (isFsError(e)) {
      // A path that cannot be read or written: the path and the cause in words, no stack.
      process.stderr.write(`avsim: ${describeFsError(e)}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof UsageError || e instanceof IoProblem) {
      process.stderr.write(`avsim: ${oneLine(e)}\n`);
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`avsim: ${oneLine(e)}${process.env.AVSIM_DEBUG === '1' ? '' : ' (AVSIM_DEBUG=1 for the stack)'}\n`);
    if (process.env.AVSIM_DEBUG === '1' && e instanceof Error && e.stack !== undefined) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
