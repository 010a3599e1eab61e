// Is this error "the database cannot be reached right now" (down, restarting, refusing
// connections, connection cut) rather than a bug or a bad query? Such errors are answered 503
// with Retry-After instead of 500, and are worth retrying. Recognised through the
// whole `cause` chain: Prisma's connection error codes and its driver adapters' error kinds,
// PostgreSQL's SQLSTATEs for connection failures and shutdowns, Node's socket errors, pg's
// messages for a cut connection, and SQLite's busy/locked/cannot-open.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "DatabaseAccessDenied", "TransactionAlreadyClosed"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ECONNABORTED"]);
// 08xxx connection exception; 57P01-57P03 admin/crash shutdown, cannot connect now; 53300 too many connections
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
const SQLITE_CODES = new Set(["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR"]);
const MESSAGES =
  /connection terminated|terminating connection|timeout exceeded when trying to connect|can't reach database server|server closed the connection|connection (refused|reset)|the database system is (shutting down|starting up|in recovery mode)|client has encountered a connection error|database is locked/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== "object" || seen.has(e) || seen.size > 20) continue;
    seen.add(e);
    const { code, kind, message, meta, cause, errors } = e as {
      code?: unknown;
      kind?: unknown;
      message?: unknown;
      meta?: { driverAdapterError?: unknown };
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === "string" && (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATE.test(code) || SQLITE_CODES.has(code))) return true;
    if (typeof kind === "string" && ADAPTER_KINDS.has(kind)) return true;
    if (kind === "postgres" && typeof code === "string" && SQLSTATE.test(code)) return true;
    if (typeof message === "string" && MESSAGES.test(message)) return true;
    queue.push(cause, meta?.driverAdapterError);
    if (Array.isArray(errors)) queue.push(...errors); // AggregateError (several addresses refused)
  }
  return false;
}

/** Seconds a client should wait before retrying while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
