'use strict';
// restify requires spdy when it loads, and uses it only if a server is created with
// `spdy` options, which Bluedesk never does (see package.json beside this file).
module.exports = {
  createServer() {
    throw new Error('SPDY is not supported by this build of Bluedesk: end HTTP/2 and TLS at the reverse proxy.');
  },
};
