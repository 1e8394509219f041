// The API refuses a log destination without the settings its type needs (422 at /settings),
// as the provider does at plan time; a PATCH is judged on the merged result.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestControlPlane, type TestControlPlane } from '../../test-support/test-control-plane';

describe('log destination settings (API on PGlite)', () => {
  let t: TestControlPlane;
  const admin = () => ({ Authorization: `Bearer ${t.admin}` });
  before(async () => {
    t = await startTestControlPlane();
  });
  after(async () => {
    await t?.close();
  });

  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['http', {}, /`url`/],
    ['http', { url: 'not a url' }, /`url`/],
    // Once accepted by a looser pattern (a fuzzer's find): no HTTP client parses these the same way.
    ['http', { url: 'http://µ]B·😍' }, /`url`/],
    ['http', { url: 'http://[::1/in' }, /`url`/],
    ['http', { url: 'https://user:pw@logs.example.com/in' }, /`url`/],
    ['kinesis_firehose', { region: 'us-east-1' }, /`stream_name`/],
    ['kinesis_data_stream', {}, /`stream_name`/],
    ['segment', {}, /`write_key_secret`/],
    ['datadog', { site: 'datadoghq.eu' }, /`api_key_secret`/],
  ];
  for (const [type, settings, detail] of refused) {
    it(`refuses ${type} with settings ${JSON.stringify(settings)}`, async () => {
      const res = await t.request.post('/api/v1/entities/log-destinations').set(admin()).send({ type, settings });
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.code, 'validation_failed');
      assert.equal(res.body.errors.length, 1, JSON.stringify(res.body.errors));
      assert.equal(res.body.errors[0].pointer, '/settings');
      assert.match(res.body.errors[0].detail, detail);
    });
  }

  it('accepts each type with its required settings; a PATCH that drops one is refused', async () => {
    const ok: [string, Record<string, string>][] = [
      ['http', { url: 'https://logs.example.com/in' }],
      ['http', { url: 'http://127.0.0.1:9000/in?tag=audit' }],
      ['kinesis_firehose', { stream_name: 'audit' }],
      ['kinesis_data_stream', { stream_name: 'audit' }],
      ['segment', { write_key_secret: '00000000-0000-4000-8000-000000000001' }],
      ['datadog', { api_key_secret: '00000000-0000-4000-8000-000000000002', site: 'datadoghq.eu' }],
    ];
    for (const [type, settings] of ok) {
      const res = await t.request.post('/api/v1/entities/log-destinations').set(admin()).send({ type, settings });
      assert.equal(res.status, 201, `${type}: ${JSON.stringify(res.body)}`);
    }
    const created = await t.request
      .post('/api/v1/entities/log-destinations')
      .set(admin())
      .send({ type: 'http', settings: { url: 'https://a.example.com' } });
    const patched = await t.request
      .patch(`/api/v1/entities/log-destinations/${created.body.id}`)
      .set(admin())
      .send({ settings: { headers_secret: 'x' } });
    assert.equal(patched.status, 422, JSON.stringify(patched.body));
    assert.equal(patched.body.errors[0].pointer, '/settings');
    const retyped = await t.request.patch(`/api/v1/entities/log-destinations/${created.body.id}`).set(admin()).send({ type: 'kinesis_firehose' });
    assert.equal(retyped.status, 422, 'the url does not make a firehose');
  });
  it('takes an integration_id only for the Kinesis types; 422 at /integration_id for http, segment and datadog, also on PATCH', async () => {
    const context = await t.request
      .post('/api/v1/entities/integrations')
      .set(admin())
      .send({ type: 'permission_context', name: 'log-context', external_id: '123456789012', settings: { role_arn: 'arn:aws:iam::123456789012:role/log', cloud: 'aws' } });
    assert.equal(context.status, 201, JSON.stringify(context.body));
    const integration_id = context.body.id;
    for (const type of ['kinesis_firehose', 'kinesis_data_stream']) {
      const res = await t.request
        .post('/api/v1/entities/log-destinations')
        .set(admin())
        .send({ type, integration_id, settings: { stream_name: `with-context-${type}` } });
      assert.equal(res.status, 201, `${type}: ${JSON.stringify(res.body)}`);
    }
    const settings: Record<string, Record<string, string>> = {
      http: { url: 'https://ctx.example.com/in' },
      segment: { write_key_secret: '00000000-0000-4000-8000-000000000003' },
      datadog: { api_key_secret: '00000000-0000-4000-8000-000000000004' },
    };
    for (const [type, typeSettings] of Object.entries(settings)) {
      const res = await t.request.post('/api/v1/entities/log-destinations').set(admin()).send({ type, integration_id, settings: typeSettings });
      assert.equal(res.status, 422, `${type}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(
        res.body.errors.map((e: { pointer: string }) => e.pointer),
        ['/integration_id'],
      );
      assert.match(res.body.errors[0].detail, /Only log destinations of type "kinesis_firehose" or "kinesis_data_stream" take an integration_id/);
    }
    const plain = await t.request.post('/api/v1/entities/log-destinations').set(admin()).send({ type: 'segment', settings: settings.segment });
    assert.equal(plain.status, 201, JSON.stringify(plain.body));
    const patched = await t.request.patch(`/api/v1/entities/log-destinations/${plain.body.id}`).set(admin()).send({ integration_id });
    assert.equal(patched.status, 422, JSON.stringify(patched.body));
    assert.equal(patched.body.errors[0].pointer, '/integration_id');
  });
});
