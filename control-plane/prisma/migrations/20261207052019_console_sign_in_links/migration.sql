-- CreateTable
CREATE TABLE "ConsoleSignInLink" (
    "codeHash" TEXT NOT NULL,
    "orgId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "issuerTokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConsoleSignInLink_pkey" PRIMARY KEY ("codeHash")
);

-- CreateIndex
CREATE INDEX "ConsoleSignInLink_expiresAt_idx" ON "ConsoleSignInLink"("expiresAt");

-- AddForeignKey
ALTER TABLE "ConsoleSignInLink" ADD CONSTRAINT "ConsoleSignInLink_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsoleSignInLink" ADD CONSTRAINT "ConsoleSignInLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
