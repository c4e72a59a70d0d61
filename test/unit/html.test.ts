import test from 'ava';
import { escapeHtml, html, raw, SafeHtml } from '../../views/html.ts';

test('escapes markup and both quote characters in an interpolated string', (t) => {
  const hostile = `<script>alert("x")</script>' onmouseover='x`;
  t.is(
    html`<p title="${hostile}">${hostile}</p>`.toString(),
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x">' +
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x</p>',
  );
});

test('escapes an ampersand once', (t) => {
  t.is(escapeHtml('Tom & Jerry &amp;'), 'Tom &amp; Jerry &amp;amp;');
});

test('renders numbers as text', (t) => {
  t.is(html`<b>${42}</b>`.toString(), '<b>42</b>');
});

test('does not escape nested safe html a second time', (t) => {
  const inner = html`<em>${'a < b'}</em>`;
  t.is(html`<p>${inner}</p>`.toString(), '<p><em>a &lt; b</em></p>');
});

test('joins an array of safe html', (t) => {
  const items = ['x', '<y>'].map((item) => html`<li>${item}</li>`);
  t.is(html`<ul>${items}</ul>`.toString(), '<ul><li>x</li><li>&lt;y&gt;</li></ul>');
});

test('raw passes trusted markup through unchanged', (t) => {
  const form = '<form id="op.logoutForm"><input type="hidden" name="xsrf" value="abc"></form>';
  t.is(html`<div>${raw(form)}</div>`.toString(), `<div>${form}</div>`);
  t.true(raw(form) instanceof SafeHtml);
});

test('an object that only looks like safe html is escaped', (t) => {
  const impostor = { toString: () => '<b>' } as unknown as string;
  t.is(html`${impostor}`.toString(), '&lt;b&gt;');
});
