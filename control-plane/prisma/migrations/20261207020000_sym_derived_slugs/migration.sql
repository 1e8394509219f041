-- Error loggers and log destinations have no name; Sym derives their slug (what `?slug=` and
-- import match) from the destination, or from the stream name / URL. Rows written before the
-- service derived it get it here (the same rule as derivedSlug in @opensym/schemas).
UPDATE "Entity"
SET "slug" = lower(regexp_replace(btrim("data"->>'destination'), '^#', ''))
WHERE "kind" = 'error-loggers' AND "slug" IS NULL AND btrim(coalesce("data"->>'destination', '')) <> '';

UPDATE "Entity"
SET "slug" = lower(regexp_replace(btrim(coalesce(nullif(btrim("data"->'settings'->>'stream_name'), ''), "data"->'settings'->>'url')), '^#', ''))
WHERE "kind" = 'log-destinations' AND "slug" IS NULL
  AND coalesce(nullif(btrim("data"->'settings'->>'stream_name'), ''), nullif(btrim("data"->'settings'->>'url'), '')) IS NOT NULL;
