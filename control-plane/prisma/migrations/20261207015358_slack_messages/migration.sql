-- CreateTable
CREATE TABLE "SlackMessage" (
    "id" UUID NOT NULL,
    "orgId" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "integrationId" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SlackMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SlackMessage_orgId_channel_ts_idx" ON "SlackMessage"("orgId", "channel", "ts");

-- CreateIndex
CREATE UNIQUE INDEX "SlackMessage_requestId_destination_key" ON "SlackMessage"("requestId", "destination");
