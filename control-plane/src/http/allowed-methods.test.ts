// Which documented path a request path falls under (for 405/Allow and optional bodies): the same
// answer as trying every template in document order, from only the templates that can match.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathMethodsFor, pathMethodsOf, type OpenApiPaths } from './allowed-methods';
import openApiDocument from '../../../schemas/generated/openapi.json' with { type: 'json' };

const document = openApiDocument as OpenApiPaths;
const templates = Object.keys(document.paths);
const concrete = (template: string) => template.replaceAll(/\{[^}]+\}/g, '0b7e4a52-3c0e-4f7a-9d55-9c1f8e2b6a10');

describe('pathMethodsFor', () => {
  const known = pathMethodsOf(document);
  const everyTemplate = (path: string) => known.all.find((p) => p.pattern.test(path));

  it('answers as a scan over every template would, for every documented path and its variants', () => {
    const paths = templates.flatMap((t) => [concrete(t), `${concrete(t)}/`, concrete(t).toUpperCase(), `${concrete(t)}//`, `${concrete(t)}/x`, concrete(t).replace(/\/[^/]*$/, '')]);
    paths.push('/', '//', '', '/api/v1/', '/nope', '/api/v1/entities/no-such-kind');
    for (const path of paths) assert.equal(pathMethodsFor(known, path), everyTemplate(path), path);
    assert.equal(pathMethodsFor(known, '/api/v1/events/request'), known.all[templates.indexOf('/api/v1/events/request')]);
  });

  it('tries only the templates with as many slashes as the path', () => {
    const counted = pathMethodsOf(document);
    const tried: string[] = [];
    counted.all.forEach((p, i) => {
      const test = p.pattern.test.bind(p.pattern);
      p.pattern.test = (s: string) => {
        tried.push(templates[i]!);
        return test(s);
      };
    });
    assert.equal(pathMethodsFor(counted, '/api/v1/requests/0b7e4a52-3c0e-4f7a-9d55-9c1f8e2b6a10/approve'), counted.all[templates.indexOf('/api/v1/requests/{id}/approve')]);
    assert.ok(tried.length > 0);
    for (const template of tried) assert.equal(template.split('/').length, 6, template);
  });

  it('falls back to every template when one ends in a slash', () => {
    const odd = pathMethodsOf({ paths: { '/a/': { get: {} }, '/a/{id}': { post: {} } } });
    assert.equal(odd.bySlashes, undefined);
    assert.deepEqual([...pathMethodsFor(odd, '/a//')!.methods], ['GET', 'HEAD']);
    assert.deepEqual([...pathMethodsFor(odd, '/a/x')!.methods], ['POST']);
  });
});
