/**
 * Every test-data builder, one module per domain under factories/. A builder creates the parents it
 * is not given (a redemption without a customer gets a new customer in a new campaign), so a test
 * states only what it is about.
 */
export * from './factories/alerts.js';
export * from './factories/campaigns.js';
export * from './factories/contact.js';
export * from './factories/customers.js';
export * from './factories/fulfilment.js';
export * from './factories/outbox.js';
export * from './factories/pools.js';
export * from './factories/purge.js';
export * from './factories/redemptions.js';
export * from './factories/staff.js';
