"""drive.py's hub: uploads staged in chunks and published whole, then served as the race reads them; what it
refuses (bad offsets, oversized chunks, names that leave the hub, other hosts, a list that differs).
  python3 -m unittest scripts/gpu/drive_test.py        (needs aiohttp, as drive.py does)
"""
import hashlib, os, shutil, sys, tempfile, unittest
from aiohttp import web
from aiohttp.test_utils import AioHTTPTestCase

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import drive  # noqa: E402

REPO = 'ttft-race/test-ONNX'


class HubUploadTest(AioHTTPTestCase):
    async def get_application(self):
        self.root = tempfile.mkdtemp(prefix='hub-test-')
        self.remote = None  # set to pretend a request came from elsewhere
        app = drive.make_hub_app(self.root)

        @web.middleware
        async def pretend_remote(request, handler):
            return await handler(request.clone(remote=self.remote) if self.remote else request)

        app.middlewares.append(pretend_remote)
        return app

    def tearDown(self):
        super().tearDown()
        shutil.rmtree(self.root, ignore_errors=True)

    async def put(self, path, data, offset=0, total=None, repo=REPO):
        total = len(data) + offset if total is None else total
        return await self.client.put(f'/_upload/{repo}/{path}?offset={offset}&total={total}', data=data)

    async def publish(self, files, repo=REPO):
        return await self.client.post(f'/_upload/{repo}', json={'files': files})

    async def upload_in_chunks(self, path, data, chunk):
        for start in range(0, len(data), chunk):
            r = await self.put(path, data[start:start + chunk], offset=start, total=len(data))
            self.assertEqual(r.status, 200, await r.text())
            self.assertEqual((await r.json())['bytes'], min(len(data), start + chunk))

    async def test_a_repository_uploaded_in_chunks_is_served_at_the_commit_the_publish_answers(self):
        model = os.urandom(10_000)
        self.assertEqual((await self.client.delete(f'/_upload/{REPO}')).status, 204)
        await self.upload_in_chunks('config.json', b'{"model_type": "llama"}', 8)
        await self.upload_in_chunks('onnx/model_q4.onnx', model, 4096)
        r = await self.publish([{'path': 'config.json', 'bytes': 23}, {'path': 'onnx/model_q4.onnx', 'bytes': 10_000}])
        self.assertEqual(r.status, 200, await r.text())
        published = await r.json()
        self.assertEqual(published['files'], [
            {'path': 'config.json', 'bytes': 23, 'sha256': hashlib.sha256(b'{"model_type": "llama"}').hexdigest()},
            {'path': 'onnx/model_q4.onnx', 'bytes': 10_000, 'sha256': hashlib.sha256(model).hexdigest()},
        ])
        listing = await (await self.client.get(f'/api/models/{REPO}?blobs=true')).json()
        self.assertEqual(listing['sha'], published['commit'])
        self.assertEqual([s['rfilename'] for s in listing['siblings']], ['config.json', 'onnx/model_q4.onnx'])
        served = await self.client.get(f'/{REPO}/resolve/{published["commit"]}/onnx/model_q4.onnx')
        self.assertEqual(await served.read(), model)
        self.assertFalse(os.path.exists(os.path.join(self.root, drive.STAGING, REPO)))

    async def test_a_second_publish_replaces_the_repository_whole(self):
        await self.put('onnx/model.onnx', b'old')
        await self.put('onnx/model.onnx_data', b'old data')
        first = await (await self.publish([{'path': 'onnx/model.onnx', 'bytes': 3},
                                           {'path': 'onnx/model.onnx_data', 'bytes': 8}])).json()
        self.assertEqual((await self.client.get(f'/api/models/{REPO}')).status, 200)
        await self.client.delete(f'/_upload/{REPO}')
        await self.put('onnx/model_q4.onnx', b'new')
        second = await (await self.publish([{'path': 'onnx/model_q4.onnx', 'bytes': 3}])).json()
        self.assertNotEqual(first['commit'], second['commit'])
        listing = await (await self.client.get(f'/api/models/{REPO}')).json()
        self.assertEqual([s['rfilename'] for s in listing['siblings']], ['onnx/model_q4.onnx'])
        self.assertEqual(sorted(os.listdir(os.path.join(self.root, drive.STAGING))), ['ttft-race'])

    async def test_chunks_come_in_order_within_their_bounds(self):
        r = await self.put('onnx/m.onnx', b'abcd', total=10)
        self.assertEqual(r.status, 200)
        self.assertEqual((await self.put('onnx/m.onnx', b'ef', offset=6, total=10)).status, 409)  # a gap
        self.assertEqual((await self.put('onnx/m.onnx', b'efghijk', offset=4, total=10)).status, 400)  # past total
        self.assertEqual((await self.put('onnx/m.onnx', b'efghij', offset=4, total=10)).status, 200)
        with open(os.path.join(self.root, drive.STAGING, REPO, 'onnx/m.onnx'), 'rb') as f:
            self.assertEqual(f.read(), b'abcdefghij')
        # Offset 0 starts the file again.
        self.assertEqual((await self.put('onnx/m.onnx', b'xy', total=2)).status, 200)
        self.assertEqual(os.path.getsize(os.path.join(self.root, drive.STAGING, REPO, 'onnx/m.onnx')), 2)
        r = await self.client.put(f'/_upload/{REPO}/a.bin', data=b'x')  # no offset or total
        self.assertEqual(r.status, 400)
        r = await self.put('big.bin', b'x', total=drive.MAX_UPLOAD_FILE_BYTES + 1)
        self.assertEqual(r.status, 413)
        saved = drive.MAX_UPLOAD_CHUNK_BYTES
        drive.MAX_UPLOAD_CHUNK_BYTES = 4
        try:
            self.assertEqual((await self.put('c.bin', b'12345')).status, 413)
        finally:
            drive.MAX_UPLOAD_CHUNK_BYTES = saved

    async def test_names_stay_inside_the_hub(self):
        for path in ['%2e%2e/escape.bin', '%2e%2e/%2e%2e/escape.bin', '.hidden', 'a/.git/config', 'a/b/c/d/e.bin',
                     'sp%20ace.bin']:
            r = await self.client.put(f'/_upload/{REPO}/{path}?offset=0&total=1', data=b'x')
            self.assertIn(r.status, (400, 405), path)  # 405: the client resolved '..' to a repository's own URL
        self.assertEqual(drive.listed_files(self.root), {})
        for repo in ['.staging/x', 'org/%2e%2e', 'only-one']:
            r = await self.client.delete(f'/_upload/{repo}')
            self.assertEqual(r.status, 400, repo)
        os.makedirs(os.path.join(self.root, drive.STAGING, 'org', 'x'))
        self.assertEqual((await self.client.get('/api/models/.staging/org')).status, 404)
        link = os.path.join(self.root, drive.STAGING, 'org', 'linked')
        os.makedirs(os.path.join(self.root, drive.STAGING, 'org'), exist_ok=True)
        os.symlink(tempfile.gettempdir(), link)
        r = await self.client.put('/_upload/org/linked/planted.bin?offset=0&total=1', data=b'x')
        self.assertEqual(r.status, 400)
        self.assertFalse(os.path.exists(os.path.join(tempfile.gettempdir(), 'planted.bin')))

    async def test_a_publish_whose_list_differs_from_the_staged_files_changes_nothing(self):
        await self.put('a.json', b'{}')
        await (await self.publish([{'path': 'a.json', 'bytes': 2}])).json()
        await self.put('b.json', b'{}')
        r = await self.publish([{'path': 'b.json', 'bytes': 3}])
        self.assertEqual(r.status, 409)
        self.assertIn('b.json (staged 2, listed 3)', (await r.json())['error'])
        listing = await (await self.client.get(f'/api/models/{REPO}')).json()
        self.assertEqual([s['rfilename'] for s in listing['siblings']], ['a.json'])
        self.assertEqual((await self.client.post(f'/_upload/{REPO}', data=b'not json')).status, 400)

    async def test_only_loopback_uploads(self):
        self.remote = '10.1.2.3'
        self.assertEqual((await self.put('a.json', b'{}')).status, 403)
        self.assertEqual((await self.client.delete(f'/_upload/{REPO}')).status, 403)
        self.assertEqual((await self.publish([])).status, 403)

    async def test_the_preflight_allows_the_upload_methods(self):
        r = await self.client.options(f'/_upload/{REPO}/a.json')
        self.assertEqual(r.status, 204)
        self.assertIn('PUT', r.headers['Access-Control-Allow-Methods'])
        self.assertEqual(r.headers['Access-Control-Allow-Origin'], '*')


if __name__ == '__main__':
    unittest.main()
