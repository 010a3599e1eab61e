-- CreateTable
CREATE TABLE "portal_settings" (
    "id" TEXT NOT NULL PRIMARY KEY DEFAULT 'portal',
    "organisation" TEXT NOT NULL DEFAULT 'Gatehouse',
    "tagline" TEXT NOT NULL DEFAULT '',
    "primaryColor" TEXT NOT NULL DEFAULT '#2563eb',
    "accentColor" TEXT NOT NULL DEFAULT '#0f172a',
    "logo" BLOB,
    "logoType" TEXT,
    "termsMarkdown" TEXT NOT NULL DEFAULT '',
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "guides" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "productId" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "published" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "guides_productId_fkey" FOREIGN KEY ("productId") REFERENCES "api_products" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_api_products" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "scopes" TEXT NOT NULL DEFAULT '[]',
    "approvalType" TEXT NOT NULL DEFAULT 'auto',
    "visibility" TEXT NOT NULL DEFAULT 'public',
    "quotaLimit" INTEGER,
    "quotaIntervalSeconds" INTEGER,
    "quotaWindow" TEXT NOT NULL DEFAULT 'rolling',
    "accessTokenTtlSeconds" INTEGER NOT NULL DEFAULT 3600,
    "refreshTokenTtlSeconds" INTEGER NOT NULL DEFAULT 2592000,
    "refreshIdleTtlSeconds" INTEGER NOT NULL DEFAULT 604800,
    "credentialTtlSeconds" INTEGER,
    "accessTokenFormat" TEXT NOT NULL DEFAULT 'opaque',
    "scopeDescriptions" TEXT NOT NULL DEFAULT '{}',
    "featured" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_api_products" ("accessTokenFormat", "accessTokenTtlSeconds", "approvalType", "createdAt", "credentialTtlSeconds", "description", "id", "name", "quotaIntervalSeconds", "quotaLimit", "quotaWindow", "refreshIdleTtlSeconds", "refreshTokenTtlSeconds", "scopes", "slug", "updatedAt", "visibility") SELECT "accessTokenFormat", "accessTokenTtlSeconds", "approvalType", "createdAt", "credentialTtlSeconds", "description", "id", "name", "quotaIntervalSeconds", "quotaLimit", "quotaWindow", "refreshIdleTtlSeconds", "refreshTokenTtlSeconds", "scopes", "slug", "updatedAt", "visibility" FROM "api_products";
DROP TABLE "api_products";
ALTER TABLE "new_api_products" RENAME TO "api_products";
CREATE UNIQUE INDEX "api_products_slug_key" ON "api_products"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "guides_slug_key" ON "guides"("slug");

-- CreateIndex
CREATE INDEX "guides_productId_idx" ON "guides"("productId");

