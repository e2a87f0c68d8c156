import { describeSandbox } from '@backstage-irsa/sandbox-test-utils';
import yaml from 'yaml';
import { testActionOptions } from '../__testUtils__/actionOptions';
import { mockContext } from '../__testUtils__/mockContext';
import { sandboxIrsaService } from '../__testUtils__/sandboxIrsaService';
import { createVerifyAccessAction } from './verifyAccess';
import { examples } from './verifyAccess.examples';

// Every documented example runs with the sandbox's configuration as a dry run: its inputs
// must be the action's (unknown ones are refused) and pass its checks exactly as written.
describeSandbox('aws:irsa:verify examples', () => {
  jest.setTimeout(60_000);
  const action = createVerifyAccessAction(
    testActionOptions(sandboxIrsaService()),
  );

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const step = yaml.parse(example.example).steps[0];
    expect(step.action).toBe(action.id);
    const ctx = mockContext(step.input, { dryRun: true });
    await action.handler(ctx);
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
