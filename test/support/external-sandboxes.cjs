// Preloaded (`node --require`) into a store started by a fault or cluster test, before dist/server/main.js.
// The store normally runs its sandbox gateways inside its own process, so a SIGKILL would take
// the gateway's record of charges with it. This points the store at sandboxes that the test runs
// in its own process instead (they outlive the store, and several stores share them), by replacing `startSandboxes` in the
// module cache; everything else is the built store, unchanged. The test passes the sandboxes'
// addresses as JSON in PADLOCK_FAULT_TEST_SANDBOXES.
'use strict';
const path = require('node:path');
const braintree = require('braintree');

const dist = path.join(__dirname, '..', '..', 'dist', 'server');
const sandboxes = require(path.join(dist, 'sandbox', 'start-sandboxes.js'));
const { sandboxMerchantAccountId } = require(path.join(dist, 'sandbox', 'braintree', 'braintree-ledger.js'));
const external = JSON.parse(process.env.PADLOCK_FAULT_TEST_SANDBOXES || '{}');

function braintreeOptions(bt) {
  const port = String(bt.apiPort);
  return {
    environment: new braintree.Environment('127.0.0.1', port, 'http://127.0.0.1', false, '127.0.0.1', port),
    merchantId: bt.merchantId,
    publicKey: bt.publicKey,
    privateKey: bt.privateKey,
    fieldsUrl: `${bt.pagesOrigin}/fields`,
    browserOrigins: { scripts: [], frames: [bt.pagesOrigin], navigations: [], connections: [] },
    merchantAccountIdFor: (currency) => sandboxMerchantAccountId(bt.merchantId, currency),
  };
}

sandboxes.startSandboxes = async () => ({
  gatewayOptions: {
    stripe: external.stripe,
    braintree: external.braintree ? braintreeOptions(external.braintree) : undefined,
  },
  // The test points the sandboxes' callbacks at the store once it has read the store's port.
  connect() {},
  async stop() {},
});
