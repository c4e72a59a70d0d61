// The load generator: a process of its own (forked by run.ts, driven over IPC), so the
// server's CPU and memory are measured apart from the load's. Closed loop for throughput
// (N virtual users, each starting its next operation when the last one ends); open loop
// for latency (operations started at a fixed rate whatever the server does, each timed
// from when it was due, so a stalled server cannot hide its own queueing).
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpTarget } from './http-client.ts';
import {
  clientCredentials, discoverEndpoints, FlowError, introspect, jwks, newPerson, refresh, signIn, userinfo,
  type Endpoints, type Person, type RelyingParty,
} from './flows.ts';
import { percentile } from './stats.ts';

export type Scenario = 'sign-in' | 'refresh' | 'client-credentials' | 'userinfo' | 'introspection' | 'jwks' | 'bare-client-credentials';

/** Jobs name the xacthuc they load: the bench runs one per database size. */
export type LoadJob =
  | { kind: 'target'; target: string; xacthuc: string; rp: RelyingParty; password: string; bare?: { origin: string; clientId: string; clientSecret: string } }
  | { kind: 'prepare'; target: string; identifiers: string[]; concurrency: number }
  | { kind: 'closed'; target: string; scenario: Scenario; concurrency: number; warmupMs: number; durationMs: number }
  | { kind: 'open'; target: string; rate: number; warmupMs: number; durationMs: number };

export interface LoadResult {
  /** Operations completed inside the measured window. */
  completed: number;
  /** Operations completed from the start of the warm-up to the end, and this process's CPU meanwhile. */
  operations: number;
  generatorCpuMs: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Failures by kind, warm-up included. */
  errors: Record<string, number>;
  /** Of those, answers outside 2xx/3xx. */
  httpErrors: number;
}

interface State {
  xacthuc: HttpTarget;
  endpoints: Endpoints;
  rp: RelyingParty;
  password: string;
  bare?: { target: HttpTarget; endpoints: Endpoints; clientId: string; clientSecret: string };
  people: Person[];
}

const targets = new Map<string, State>();

function targetNamed(name: string): State {
  const state = targets.get(name);
  if (!state) throw new Error(`no target ${name}`);
  return state;
}

class Tally {
  readonly latencies: number[] = [];
  readonly errors: Record<string, number> = {};
  readonly #cpu = process.cpuUsage();
  httpErrors = 0;
  operations = 0;

  fail(error: unknown): void {
    const key = error instanceof FlowError ? error.key : `network: ${(error as Error).message}`;
    this.errors[key] = (this.errors[key] ?? 0) + 1;
    if (!(error instanceof FlowError) || error.httpError) this.httpErrors += 1;
  }

  result(seconds: number): LoadResult {
    const { latencies } = this;
    const round = (value: number) => Math.round(value * 10) / 10;
    const cpu = process.cpuUsage(this.#cpu);
    return {
      completed: latencies.length,
      operations: this.operations,
      generatorCpuMs: (cpu.user + cpu.system) / 1000,
      perSecond: latencies.length / seconds,
      latencyMs: {
        p50: round(percentile(latencies, 50)),
        p95: round(percentile(latencies, 95)),
        p99: round(percentile(latencies, 99)),
        max: round(percentile(latencies, 100)),
      },
      errors: this.errors,
      httpErrors: this.httpErrors,
    };
  }
}

/** The operation a virtual user repeats; person-bound ones get the person whose turn it is. */
function operation(state: State, scenario: Scenario): (person: Person) => Promise<void> {
  const { xacthuc, endpoints, rp, password, bare } = state;
  switch (scenario) {
    case 'sign-in': return (person) => signIn(xacthuc, endpoints, rp, person, password);
    case 'refresh': return (person) => refresh(xacthuc, endpoints, rp, person);
    case 'client-credentials': return () => clientCredentials(xacthuc, endpoints, rp);
    case 'userinfo': return (person) => userinfo(xacthuc, endpoints, person);
    case 'introspection': return (person) => introspect(xacthuc, endpoints, rp, person);
    case 'jwks': return () => jwks(xacthuc, endpoints);
    case 'bare-client-credentials': {
      if (!bare) throw new Error('no bare provider set');
      return () => clientCredentials(bare.target, bare.endpoints, bare);
    }
  }
}

async function prepare(state: State, identifiers: string[], concurrency: number): Promise<LoadResult> {
  const { xacthuc, endpoints, rp, password } = state;
  const people = identifiers.map(newPerson);
  const tally = new Tally();
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < people.length) {
      const person = people[next++];
      const begun = performance.now();
      try {
        await signIn(xacthuc, endpoints, rp, person, password, true);
        tally.operations += 1;
        tally.latencies.push(performance.now() - begun);
      } catch (error) {
        tally.fail(error);
      }
    }
  }));
  state.people = people.filter((person) => person.refreshToken);
  return tally.result((performance.now() - started) / 1000);
}

async function closedLoop(state: State, scenario: Scenario, concurrency: number, warmupMs: number, durationMs: number): Promise<LoadResult> {
  const { people } = state;
  if (people.length < concurrency) throw new Error(`${concurrency} virtual users need as many prepared people (have ${people.length})`);
  const run = operation(state, scenario);
  const tally = new Tally();
  const from = performance.now() + warmupMs;
  const until = from + durationMs;
  await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
    // Each virtual user has people of its own: a browser or a refresh-token chain is never shared.
    const mine = people.filter((_, index) => index % concurrency === worker);
    for (let turn = 0; performance.now() < until; turn += 1) {
      const begun = performance.now();
      try {
        await run(mine[turn % mine.length]);
        tally.operations += 1;
        const ended = performance.now();
        if (ended >= from && ended <= until) tally.latencies.push(ended - begun);
      } catch (error) {
        tally.fail(error);
        await sleep(10);
      }
    }
  }));
  return tally.result(durationMs / 1000);
}

async function openLoop(state: State, rate: number, warmupMs: number, durationMs: number): Promise<LoadResult> {
  const run = operation(state, 'sign-in');
  const free = [...state.people];
  const waiting: Array<(person: Person) => void> = [];
  const take = () => (free.length ? Promise.resolve(free.pop()!) : new Promise<Person>((resolve) => waiting.push(resolve)));
  const give = (person: Person) => (waiting.length ? waiting.shift()!(person) : free.push(person));
  const tally = new Tally();
  const start = performance.now();
  const from = start + warmupMs;
  const until = from + durationMs;
  const flows: Promise<void>[] = [];
  for (let index = 0; ; index += 1) {
    const due = start + (index * 1000) / rate;
    if (due >= until) break;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    flows.push((async () => {
      const person = await take();
      try {
        await run(person);
        tally.operations += 1;
        if (due >= from) tally.latencies.push(performance.now() - due);
      } catch (error) {
        tally.fail(error);
      } finally {
        give(person);
      }
    })());
  }
  await Promise.all(flows);
  return tally.result(durationMs / 1000);
}

async function handle(job: LoadJob): Promise<LoadResult | null> {
  switch (job.kind) {
    case 'target': {
      const previous = targets.get(job.target);
      previous?.xacthuc.close();
      previous?.bare?.target.close();
      const xacthuc = new HttpTarget(job.xacthuc);
      const bareTarget = job.bare ? new HttpTarget(job.bare.origin) : undefined;
      targets.set(job.target, {
        xacthuc,
        endpoints: await discoverEndpoints(xacthuc),
        rp: job.rp,
        password: job.password,
        bare: job.bare && bareTarget ? { target: bareTarget, endpoints: await discoverEndpoints(bareTarget), ...job.bare } : undefined,
        people: [],
      });
      return null;
    }
    case 'prepare': return prepare(targetNamed(job.target), job.identifiers, job.concurrency);
    case 'closed': return closedLoop(targetNamed(job.target), job.scenario, job.concurrency, job.warmupMs, job.durationMs);
    case 'open': return openLoop(targetNamed(job.target), job.rate, job.warmupMs, job.durationMs);
  }
}

process.on('message', (message: { id: number; job: LoadJob }) => {
  handle(message.job).then(
    (result) => process.send!({ id: message.id, result }),
    (error: Error) => process.send!({ id: message.id, error: error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
