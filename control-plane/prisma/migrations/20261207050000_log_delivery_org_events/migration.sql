-- Audit events without a request (entity changes, users, tokens) reach log destinations too
-- (issue 11 §3: every audit event). They belong to the whole organization, not to one
-- environment (entities, users and tokens are shared by its environments), so each log
-- destination listed by any environment of the organization gets them, once. Events of a
-- request still go to the destinations of the request's environment only. The order key of an
-- organization event is its entity (or `org:<org id>` for user and token events), so a
-- partial-failure sink keeps each entity's events in order as it keeps each request's.
-- Only the `targets` selection changes; the outbox and job inserts are as in `log_delivery`.
CREATE OR REPLACE FUNCTION "log_delivery_enqueue"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH targets AS (
    SELECT e."id" AS "eventId", e."orgId", e."requestId"::text AS "orderKey", e."at", d."id" AS "destinationId"
    FROM new_events e
    JOIN "AccessRequest" r ON r."id" = e."requestId"
    JOIN "Entity" env ON env."orgId" = r."orgId" AND env."kind" = 'environments' AND env."id"::text = lower(r."flowSnapshot"->>'environment_id')
    CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(env."data"->'log_destination_ids') = 'array' THEN env."data"->'log_destination_ids' ELSE '[]'::jsonb END) AS ids("id")
    JOIN "Entity" d ON d."orgId" = r."orgId" AND d."kind" = 'log-destinations' AND d."id"::text = lower(ids."id")
    UNION ALL
    SELECT e."id", e."orgId", COALESCE(e."entityId"::text, 'org:' || e."orgId"::text), e."at", d."id"
    FROM new_events e
    JOIN "Entity" env ON env."orgId" = e."orgId" AND env."kind" = 'environments'
    CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(env."data"->'log_destination_ids') = 'array' THEN env."data"->'log_destination_ids' ELSE '[]'::jsonb END) AS ids("id")
    JOIN "Entity" d ON d."orgId" = e."orgId" AND d."kind" = 'log-destinations' AND d."id"::text = lower(ids."id")
    WHERE e."requestId" IS NULL
  ), outbox AS (
    INSERT INTO "LogDeliveryOutbox" ("destinationId", "eventId", "orderKey")
    SELECT DISTINCT ON ("at", "eventId", "destinationId") "destinationId", "eventId", "orderKey" FROM targets ORDER BY "at", "eventId", "destinationId"
    RETURNING "destinationId"
  )
  INSERT INTO "Job" ("id", "kind", "orgId", "payload", "dedupeKey", "runAt", "maxAttempts", "updatedAt")
  SELECT gen_random_uuid(), 'log_delivery', t."orgId", jsonb_build_object('destinationId', t."destinationId"),
         'log_delivery:' || t."destinationId" || ':' || txid_current(), now(), 10, now()
  FROM (SELECT DISTINCT "destinationId", "orgId" FROM targets) t
  WHERE EXISTS (SELECT 1 FROM outbox)
  ON CONFLICT ("dedupeKey") DO NOTHING;
  RETURN NULL;
END
$$;
