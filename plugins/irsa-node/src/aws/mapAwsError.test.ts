import { mapAwsError } from './mapAwsError';

const doing = 'create the IAM role irsa-api';

describe('mapAwsError', () => {
  it.each([
    ['NoSuchEntity', 'NotFoundError'],
    ['EntityAlreadyExists', 'ConflictError'],
    ['MalformedPolicyDocument', 'InputError'],
    ['AccessDenied', 'NotAllowedError'],
    ['Throttling', 'ServiceUnavailableError'],
    ['ThrottlingException', 'ServiceUnavailableError'],
  ])('maps %s to %s', (name, expected) => {
    expect(mapAwsError({ name, message: 'm' }, doing).name).toBe(expected);
  });

  it('calls an endpoint that did not answer unavailable (503), naming the error and what to do', () => {
    for (const error of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), {
        code: 'ECONNREFUSED',
      }),
      { name: 'TimeoutError', message: 'request timed out' },
      // As the SDK wraps a socket error it cannot type: the code is only in the text.
      new Error(
        'AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:1',
      ),
    ]) {
      const mapped = mapAwsError(error, doing);
      expect(mapped.name).toBe('ServiceUnavailableError');
      expect(mapped.message).toMatch(
        /^Could not create the IAM role irsa-api: AWS did not answer \((ECONNREFUSED|TimeoutError)\) after every retry: .*try again \(or retry the task\) once it answers\.$/,
      );
    }
  });

  it('forwards anything else with what was being done', () => {
    const mapped = mapAwsError(new Error('odd'), doing);
    expect(mapped.message).toMatch(/^Could not create the IAM role irsa-api/);
  });
});
