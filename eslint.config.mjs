import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: [".next/**", "dist/**", "node_modules/**", "lib/db/generated/**", "data/**", "test-results/**", "playwright-report/**", ".test-output/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // lib/config is the only reader of process.env in application code.
    files: ["lib/**/*.ts", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "server.ts", "okta-dev/**/*.ts"],
    ignores: ["lib/config/**", "**/*.test.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/config." }],
    },
  },
  {
    // Layers point one way: the engines (OAuth server, gateway, analytics, security) sit
    // beneath the portal and the pages, and never reach up into them. Tests may drive an
    // engine through the portal to set up their fixtures.
    files: ["lib/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: [
                "./lib/oauth",
                "./lib/gateway",
                "./lib/analytics",
                "./lib/security",
                "./lib/notifications",
                "./lib/events",
                "./lib/db",
                "./lib/store",
                "./lib/runtime",
                "./lib/telemetry",
              ],
              from: ["./lib/portal", "./lib/api", "./app", "./components"],
              message: "An engine never imports the portal, the management API or the pages above it.",
            },
          ],
        },
      ],
    },
  },
  {
    // One constant-time comparison, so that none forgets the length check or hashing.
    files: ["lib/**/*.ts", "server.ts"],
    ignores: ["lib/security/secrets.ts", "**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "node:crypto", importNames: ["timingSafeEqual"], message: "Use constantTimeEqual or sameSecret from lib/security/secrets.ts." }] },
      ],
    },
  },
];

export default config;
