// Next.js serves the browser lane only (pages, the management API); server.ts owns the
// process and the machine lane. Native and connection-holding packages stay external so that
// server.ts and the pages share one instance of them.
/** @type {import("next").NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ["better-sqlite3", "openid-client", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "ioredis", "pino", "prom-client"],
};

export default nextConfig;
