-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_api_proxies" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "basePath" TEXT NOT NULL,
    "version" TEXT NOT NULL DEFAULT 'v1',
    "targetUrl" TEXT NOT NULL,
    "policies" TEXT NOT NULL DEFAULT '[]',
    "idTokenMode" TEXT NOT NULL DEFAULT 'none',
    "openApiSpec" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "deprecatedAt" DATETIME,
    "sunsetAt" DATETIME,
    "deprecationLink" TEXT,
    "pinnedAppIds" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_api_proxies" ("basePath", "createdAt", "deprecatedAt", "deprecationLink", "id", "idTokenMode", "name", "openApiSpec", "policies", "status", "sunsetAt", "targetUrl", "updatedAt", "version") SELECT "basePath", "createdAt", "deprecatedAt", "deprecationLink", "id", "idTokenMode", "name", "openApiSpec", "policies", "status", "sunsetAt", "targetUrl", "updatedAt", "version" FROM "api_proxies";
DROP TABLE "api_proxies";
ALTER TABLE "new_api_proxies" RENAME TO "api_proxies";
CREATE UNIQUE INDEX "api_proxies_basePath_version_key" ON "api_proxies"("basePath", "version");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

