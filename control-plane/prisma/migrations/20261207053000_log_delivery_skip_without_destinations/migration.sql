-- The log-delivery trigger returns at once when no organization of the statement's events has a
-- log destination: one index probe of "Entity" (orgId, kind) instead of the joins over requests,
-- environments and their destination lists, which every request-creating statement ran for
-- nothing where log delivery is not used. The outcome is unchanged: a destination is an entity
-- of the event's organization, so without one the join found no target. An event is queued for
-- the destinations its environment lists when it is written; none exist yet here, so nothing is
-- lost (features/log-delivery/README.md: events written before a destination is listed are not
-- sent to it).
-- The selection of events is the one of `log_delivery_org_events` (events without a request go to
-- every destination of the organization).
CREATE OR REPLACE FUNCTION "log_delivery_enqueue"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM "Entity" d
    WHERE d."kind" = 'log-destinations' AND d."orgId" IN (SELECT e."orgId" FROM new_events e)
  ) THEN
    RETURN NULL;
  END IF;
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
