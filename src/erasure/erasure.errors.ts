import { errorFactory } from '../platform/errors.js';
import { ERASURE_TEXT as M } from './erasure.messages.js';

/** The erasure's refusals; the texts live in erasure.messages.ts. */

/** No customer with this id (a contact-centre request for someone unknown). */
export const CustomerNotFound = errorFactory('not_found', (c) => c.common.notFound(M.what.customer));
