-- Identities never cross: emails are no longer unique (one account per Okta user), server-side portal sessions, and the earlier admin decision kept on a re-requested subscription.
-- DropIndex
DROP INDEX "developers_email_key";

-- AlterTable
ALTER TABLE "subscriptions" ADD COLUMN "priorReason" TEXT;
ALTER TABLE "subscriptions" ADD COLUMN "priorStatus" TEXT;

-- CreateTable
CREATE TABLE "portal_sessions" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "developerId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "userAgent" TEXT,
    "ip" TEXT,
    CONSTRAINT "portal_sessions_developerId_fkey" FOREIGN KEY ("developerId") REFERENCES "developers" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "portal_sessions_developerId_idx" ON "portal_sessions"("developerId");

-- CreateIndex
CREATE INDEX "developers_email_idx" ON "developers"("email");

