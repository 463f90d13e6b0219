/** The admin key every test service is started with (SUPPLIER_TASKS_ADMIN_KEY) and sends. */
export const TEST_ADMIN_KEY = 'st_test-admin-key-0123456789abcdefghijklmnop';

export const AUTHORIZATION = { authorization: `Bearer ${TEST_ADMIN_KEY}` } as const;
