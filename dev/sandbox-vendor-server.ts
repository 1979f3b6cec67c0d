import { startSandboxVendor } from './sandbox-vendor.js';

/** `npm run sandbox-vendor`: the local stand-in for the gift-card vendor's API (EMONEY_VENDOR_URL). */
const port = Number(process.env.SANDBOX_VENDOR_PORT ?? 4010);
const vendor = await startSandboxVendor(port);
console.log(`sandbox e-money vendor listening: ${vendor.url}  (set EMONEY_VENDOR_URL=${vendor.url})`);
