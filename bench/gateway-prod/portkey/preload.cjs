// Preloaded into the Portkey gateway (node --require) by bench/gateway-prod/run.sh. Two fixes, no
// change to Portkey's own files:
// 1. Node's fetch() returns responses whose headers are immutable; @portkey-ai/gateway 1.15.2 edits
//    them on every streaming response and fails with "TypeError: immutable" (Portkey issues #1389,
//    #1550). Each upstream response is re-wrapped with a mutable copy of its headers; the body
//    stream is passed through untouched, so streaming and time to first byte are unaffected.
// 2. Portkey listens on every interface; the bench keeps everything on loopback.
'use strict';
const net = require('net');

const originalFetch = globalThis.fetch;
globalThis.fetch = async function fetchWithMutableHeaders(...args) {
  const response = await originalFetch.apply(this, args);
  const copy = new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
  Object.defineProperty(copy, 'url', { value: response.url });
  return copy;
};

const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object') {
    args[0] = { ...first, host: '127.0.0.1' };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog][, callback]): put 127.0.0.1 in the host slot
    if (typeof args[1] === 'string') {
      args[1] = '127.0.0.1';
    } else {
      args.splice(1, 0, '127.0.0.1');
    }
  }
  return originalListen.apply(this, args);
};
