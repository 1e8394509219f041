import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, hclogTimestamp, logLevelFromEnv, type LogLevel } from './logger';

describe('logLevelFromEnv', () => {
  const cases: [NodeJS.ProcessEnv, string][] = [
    [{}, 'warn'],
    [{ TF_LOG: '' }, 'warn'],
    [{ TF_LOG: 'DEBUG' }, 'debug'],
    [{ TF_LOG: 'info' }, 'info'],
    [{ TF_LOG_PROVIDER: 'ERROR', TF_LOG: 'TRACE' }, 'error'],
    [{ TF_LOG_PROVIDER: '', TF_LOG: 'WARN' }, 'warn'],
    [{ TF_LOG_PROVIDER: 'TRACE', TF_LOG: 'OFF' }, 'trace'],
    [{ TF_LOG_PROVIDER: 'OFF', TF_LOG: 'TRACE' }, 'off'],
    [{ TF_LOG: 'off' }, 'off'],
    [{ TF_LOG: 'JSON' }, 'trace'],
    [{ TF_LOG: 'verbose' }, 'trace'],
  ];
  for (const [env, level] of cases) {
    it(`${JSON.stringify(env)} → ${level}`, () => assert.equal(logLevelFromEnv(env), level));
  }
});

describe('createLogger', () => {
  const capture = (level: LogLevel | 'off') => {
    const lines: string[] = [];
    return { lines, log: createLogger({ level, write: (l) => lines.push(l) }) };
  };

  it('writes hclog JSON lines at or above the threshold only', () => {
    const { lines, log } = capture('info');
    log.debug('hidden');
    log.info('shown', { rpc: 'PlanResourceChange' });
    log.error('bad');
    assert.equal(lines.length, 2);
    assert.ok(
      lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n')),
      'one line each',
    );
    const first = JSON.parse(lines[0]!);
    assert.equal(first['@level'], 'info');
    assert.equal(first['@message'], 'shown');
    assert.equal(first['@module'], 'sym');
    assert.equal(first.rpc, 'PlanResourceChange');
    assert.match(first['@timestamp'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(JSON.parse(lines[1]!)['@level'], 'error');
    assert.equal(log.enabled('debug'), false);
    assert.equal(log.enabled('warn'), true);
  });

  it('off writes nothing; trace writes everything', () => {
    const off = capture('off');
    for (const m of ['trace', 'debug', 'info', 'warn', 'error'] as const) off.log[m]('x');
    assert.deepEqual(off.lines, []);
    const all = capture('trace');
    for (const m of ['trace', 'debug', 'info', 'warn', 'error'] as const) all.log[m]('x');
    assert.deepEqual(
      all.lines.map((l) => JSON.parse(l)['@level']),
      ['trace', 'debug', 'info', 'warn', 'error'],
    );
  });

  it('fields never replace the @-keys, and bigints, symbols and errors still serialise', () => {
    const { lines, log } = capture('trace');
    log.warn('real', { '@level': 'error', '@message': 'fake', n: 2n ** 70n, s: Symbol('unknown'), e: new Error('boom') });
    const line = JSON.parse(lines[0]!);
    assert.equal(line['@level'], 'warn');
    assert.equal(line['@message'], 'real');
    assert.equal(line.n, '1180591620717411303424');
    assert.equal(line.s, 'unknown');
    assert.equal(line.e.message, 'boom');
  });
});

describe('hclogTimestamp', () => {
  it('has exactly six fractional digits', () => {
    assert.equal(hclogTimestamp(1_700_000_000_123_456), '2023-11-14T22:13:20.123456Z');
    assert.equal(hclogTimestamp(1_700_000_000_000_007), '2023-11-14T22:13:20.000007Z');
  });
});
