import { validateAccountId } from './accountId';

describe('AWS account ids', () => {
  it.each(['123456789012', '012345678901'])('accepts %s', id => {
    expect(validateAccountId(id)).toEqual({ ok: true });
  });
  it.each([
    '12345678901',
    '1234567890123',
    '12345678901a',
    ' 123456789012',
    '',
  ])('rejects %j', id => {
    const result = validateAccountId(id);
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          field: 'accountId',
          message: expect.stringMatching(/exactly 12 digits.*"012345678901"/),
        },
      ],
    });
  });
});
