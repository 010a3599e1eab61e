-- AlterTable
ALTER TABLE "api_proxies" ADD COLUMN     "deprecatedAt" TIMESTAMP(3),
ADD COLUMN     "deprecationLink" TEXT,
ADD COLUMN     "sunsetAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "analytics_events" ADD COLUMN     "authKind" TEXT,
ADD COLUMN     "bytesIn" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "bytesOut" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "userSub" TEXT,
ADD COLUMN     "version" TEXT;

