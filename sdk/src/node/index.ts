// @gatehouse/sdk/node — what only Node can do: an encrypted token file and the loopback flow.
export { EncryptedFileTokenStore } from "./encrypted-file-store.js";
export { authorizeWithLoopback, type LoopbackOptions } from "./loopback.js";
