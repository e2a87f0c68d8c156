import { createCheckResult, type OverviewItem } from './statusReport';
import { csvCell, overviewCsv } from './overviewCsv';

describe('csvCell', () => {
  it('defuses what a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(
      `"'=HYPERLINK(""http://x"",""y"")"`,
    );
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it('quotes commas, quotes and line breaks, and leaves plain values alone', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('payments-api')).toBe('payments-api');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('overviewCsv', () => {
  it('writes a header and one row per ServiceAccount, CRLF-ended', () => {
    const items: OverviewItem[] = [
      {
        cluster: 'prod',
        namespace: 'payments',
        serviceAccount: 'api',
        entityRef: 'component:default/payments-api',
        roleArn: 'arn:aws:iam::111111111111:role/irsa/irsa-payments-api',
        overall: 'broken',
        problem: createCheckResult('F3', 'fail', 'No statement, allows it.'),
      },
      {
        cluster: 'prod',
        namespace: 'batch',
        serviceAccount: 'worker',
        overall: 'trusted',
      },
    ];
    expect(overviewCsv(items).split('\r\n')).toEqual([
      'cluster,namespace,serviceAccount,entityRef,roleArn,overall,problemCode,problemStatus,problemTitle,problemDetail',
      `prod,payments,api,component:default/payments-api,arn:aws:iam::111111111111:role/irsa/irsa-payments-api,broken,F3,fail,${
        items[0].problem!.title
      },"No statement, allows it."`,
      'prod,batch,worker,,,trusted,,,,',
      '',
    ]);
  });
});
