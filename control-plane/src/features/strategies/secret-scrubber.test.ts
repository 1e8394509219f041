// The scrubber hides known values (and their escaped forms) and credential-shaped strings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { processScrubber, SecretScrubber } from './secret-scrubber';

describe('SecretScrubber', () => {
  const cases: [string, string[], string, string][] = [
    ['a known value', ['hunter2-long'], 'token hunter2-long failed', 'token [REDACTED] failed'],
    ['its JSON-escaped form', ['a"b\\c-x'], JSON.stringify({ t: 'a"b\\c-x' }), '{"t":"[REDACTED]"}'],
    ['its URL-encoded form', ['p@ss word'], 'https://x/?k=p%40ss%20word', 'https://x/?k=[REDACTED]'],
    ['an AWS access key id', [], 'key AKIAIOSFODNN7EXAMPLE denied', 'key [REDACTED] denied'],
    ['a bearer credential', [], 'Authorization: Bearer abcdefgh12345678', 'Authorization: Bearer [REDACTED]'],
    ['nothing when values are too short', ['abc'], 'abc abc', 'abc abc'],
  ];
  for (const [name, values, input, expected] of cases) {
    it(`scrubs ${name}`, () => {
      const scrubber = new SecretScrubber();
      for (const v of values) scrubber.add(v);
      assert.equal(scrubber.scrub(input), expected);
    });
  }

  it('knows the process AWS credentials and cuts long messages', () => {
    const scrubber = processScrubber({ AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG', AWS_SESSION_TOKEN: 'session-token-value' });
    assert.equal(scrubber.scrub('sig wJalrXUtnFEMI/K7MDENG and session-token-value'), 'sig [REDACTED] and [REDACTED]');
    assert.ok(scrubber.scrub('x'.repeat(5000)).length < 2100);
  });
});
