#!/usr/bin/env python3
"""Generates the charset fixtures of tests/cli/html.rs (fixtures/html/charset_*.html).

Run from the repository root: python3 scripts/gen_html_charset_fixtures.py
"""
PAGE = """<html><head>{meta}<title>秋粮收购进度过半_示例农业网</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/ny">农业</a> <a href="/sc">市场</a></div>
<div class="content">
<h1>秋粮收购进度过半</h1>
<p>记者从省粮食和物资储备局了解到，截至十月底，全省累计收购秋粮三百二十万吨，收购进度过半。</p>
<p>各地粮库延长了收购时间，并开通预约售粮服务，农民售粮排队时间明显缩短，收购价格总体平稳。</p>
</div>
<div class="footer">版权所有 示例农业网</div></body></html>
"""

def write(name, meta, encoding):
    with open(f"fixtures/html/{name}", "wb") as f:
        f.write(PAGE.format(meta=meta).encode(encoding))

write("charset_utf8_meta_gb2312.html", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "utf-8")
write("charset_gbk_meta_utf8.html", '<meta charset="utf-8">', "gbk")
write("charset_gbk_undeclared.html", "", "gbk")
