-- CreateTable
CREATE TABLE "LogDeliveryOutbox" (
    "seq" BIGSERIAL NOT NULL,
    "destinationId" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "orderKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogDeliveryOutbox_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "LogDeliveryState" (
    "destinationId" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "lastEventId" UUID,
    "lastEventAt" TIMESTAMPTZ(3),
    "lastDeliveredAt" TIMESTAMPTZ(3),
    "delivered" BIGINT NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "retryAt" TIMESTAMPTZ(3),
    "leasedBy" TEXT,
    "leasedUntil" TIMESTAMPTZ(3),
    "rerun" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogDeliveryState_pkey" PRIMARY KEY ("destinationId")
);

-- CreateIndex
CREATE INDEX "LogDeliveryOutbox_destinationId_seq_idx" ON "LogDeliveryOutbox"("destinationId", "seq");

-- The delivery outbox is filled in the statement that writes audit events, whichever way they
-- are written (Prisma createMany or the request store's one-statement CTEs), so in their
-- transaction: for each log destination listed by the environment of an event's request (the
-- flow snapshot's environment_id), one outbox row (in event order), plus one `log_delivery` job
-- per destination and transaction (dedupeKey `log_delivery:<destination>:<transaction id>`).
-- One set-based query per statement, not one per row. See features/log-delivery/README.md.
CREATE FUNCTION "log_delivery_enqueue"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH targets AS (
    SELECT e."id" AS "eventId", e."orgId", e."requestId", e."at", d."id" AS "destinationId"
    FROM new_events e
    JOIN "AccessRequest" r ON r."id" = e."requestId"
    JOIN "Entity" env ON env."orgId" = r."orgId" AND env."kind" = 'environments' AND env."id"::text = lower(r."flowSnapshot"->>'environment_id')
    CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(env."data"->'log_destination_ids') = 'array' THEN env."data"->'log_destination_ids' ELSE '[]'::jsonb END) AS ids("id")
    JOIN "Entity" d ON d."orgId" = r."orgId" AND d."kind" = 'log-destinations' AND d."id"::text = lower(ids."id")
  ), outbox AS (
    INSERT INTO "LogDeliveryOutbox" ("destinationId", "eventId", "orderKey")
    SELECT DISTINCT ON ("at", "eventId", "destinationId") "destinationId", "eventId", "requestId"::text FROM targets ORDER BY "at", "eventId", "destinationId"
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

CREATE TRIGGER "AuditEvent_log_delivery" AFTER INSERT ON "AuditEvent" REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION "log_delivery_enqueue"();
