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

-- The delivery outbox is filled in the transaction that writes the audit event, whichever way it
-- is written (Prisma createMany or the request store's one-statement CTEs): for each log
-- destination listed by the environment of the event's request (the flow snapshot's
-- environment_id), one outbox row, plus one `log_delivery` job per destination and transaction
-- (dedupeKey `log_delivery:<destination>:<transaction id>`). See features/log-delivery/README.md.
CREATE FUNCTION "log_delivery_enqueue"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."requestId" IS NULL THEN
    RETURN NULL;
  END IF;
  WITH destinations AS (
    SELECT DISTINCT d."id"
    FROM "AccessRequest" r
    JOIN "Entity" env ON env."orgId" = r."orgId" AND env."kind" = 'environments' AND env."id"::text = lower(r."flowSnapshot"->>'environment_id')
    CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(env."data"->'log_destination_ids') = 'array' THEN env."data"->'log_destination_ids' ELSE '[]'::jsonb END) AS ids("id")
    JOIN "Entity" d ON d."orgId" = r."orgId" AND d."kind" = 'log-destinations' AND d."id"::text = lower(ids."id")
    WHERE r."id" = NEW."requestId"
  ), outbox AS (
    INSERT INTO "LogDeliveryOutbox" ("destinationId", "eventId", "orderKey")
    SELECT "id", NEW."id", NEW."requestId"::text FROM destinations
    RETURNING "destinationId"
  )
  INSERT INTO "Job" ("id", "kind", "orgId", "payload", "dedupeKey", "runAt", "maxAttempts", "updatedAt")
  SELECT gen_random_uuid(), 'log_delivery', NEW."orgId", jsonb_build_object('destinationId', o."destinationId"),
         'log_delivery:' || o."destinationId" || ':' || txid_current(), now(), 10, now()
  FROM (SELECT DISTINCT "destinationId" FROM outbox) o
  ON CONFLICT ("dedupeKey") DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER "AuditEvent_log_delivery" AFTER INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "log_delivery_enqueue"();
