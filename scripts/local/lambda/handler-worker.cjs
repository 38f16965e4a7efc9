/**
 * Runs one Lambda function's bundled handler in its own Node process, as a
 * sandbox would: the module loads once, then each IPC `invoke` message calls
 * the handler (async or callback style) with a Lambda-shaped context, one at a
 * time. Plain CommonJS so it starts without a TypeScript loader.
 * argv: <codeDir> <module path without extension> <export name>
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const [codeDir, modulePath, exportName] = process.argv.slice(2);

async function loadHandler() {
  const base = path.join(codeDir, modulePath);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((candidate) => fs.existsSync(candidate));
  if (!file) throw Object.assign(new Error(`Cannot find module '${modulePath}' in ${codeDir}`), { name: 'Runtime.ImportModuleError' });
  let mod;
  if (file.endsWith('.mjs')) mod = await import(pathToFileURL(file).href);
  else {
    try {
      mod = require(file);
    } catch (error) {
      if (error && error.code === 'ERR_REQUIRE_ESM') mod = await import(pathToFileURL(file).href);
      else throw error;
    }
  }
  const handler = mod[exportName] ?? (mod.default && mod.default[exportName]);
  if (typeof handler !== 'function')
    throw Object.assign(new Error(`${modulePath}.${exportName} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  return handler;
}

const loaded = loadHandler();
// Keep the first failure for every invoke, as a broken init fails every request of the sandbox.
loaded.catch(() => {});

function contextFor(message) {
  const deadline = Date.now() + message.timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: message.functionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: message.requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    succeed() {},
    fail() {},
  };
}

function errorReply(id, error) {
  const e = error instanceof Error ? error : new Error(String(error));
  return { id, ok: false, errorType: e.name || 'Error', errorMessage: e.message, trace: String(e.stack || '').split('\n') };
}

async function invoke(message) {
  const handler = await loaded;
  const context = contextFor(message);
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(result);
    };
    try {
      const returned = handler(message.event, context, callback);
      if (returned && typeof returned.then === 'function')
        returned.then(
          (result) => callback(null, result),
          (error) => callback(error),
        );
      else if (handler.length < 3) callback(null, returned);
    } catch (error) {
      callback(error);
    }
  });
}

let chain = Promise.resolve();
process.on('message', (message) => {
  if (!message || message.type !== 'invoke') return;
  chain = chain.then(async () => {
    let reply;
    try {
      const result = await invoke(message);
      // Lambda returns the JSON serialization of the result.
      reply = { id: message.id, ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
    } catch (error) {
      reply = errorReply(message.id, error);
    }
    if (process.connected) process.send(reply);
  });
});

// The parent is gone (even killed without cleanup): a sandbox never outlives its runner.
process.on('disconnect', () => process.exit(0));
process.on('unhandledRejection', (error) => {
  console.error('Unhandled rejection in the handler:', error);
});
