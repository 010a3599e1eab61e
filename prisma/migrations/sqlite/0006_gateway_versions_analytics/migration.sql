-- Gateway: version deprecation on proxies; richer analytics events.
-- ADD COLUMN rather than Prisma's table rebuild: the runner applies a file in one
-- transaction, where PRAGMA foreign_keys=OFF is ignored, so rebuilding a table that others
-- reference would cascade-delete their rows.
ALTER TABLE "api_proxies" ADD COLUMN "deprecatedAt" DATETIME;
ALTER TABLE "api_proxies" ADD COLUMN "deprecationLink" TEXT;
ALTER TABLE "api_proxies" ADD COLUMN "sunsetAt" DATETIME;

ALTER TABLE "analytics_events" ADD COLUMN "version" TEXT;
ALTER TABLE "analytics_events" ADD COLUMN "userSub" TEXT;
ALTER TABLE "analytics_events" ADD COLUMN "bytesIn" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "analytics_events" ADD COLUMN "bytesOut" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "analytics_events" ADD COLUMN "authKind" TEXT;
