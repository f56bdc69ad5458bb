# coding: utf-8
"""A sample written for Huawei Cloud MetaStudio: with a finished 2D digital-human model, make one
video from text and one from recorded audio, wait for both, and download them.

It runs unchanged against the cloud and against avatarforge; only the endpoint differs. Settings
come from the environment:

  CLOUD_SDK_AK, CLOUD_SDK_SK   the access key pair
  PROJECT_ID                   the project
  METASTUDIO_ENDPOINT          https://metastudio.cn-north-4.myhuaweicloud.com, or avatarforge's URL
  MODEL_ASSET_ID               the asset_id of a finished model training job
  AUDIO_URL                    where the recorded speech is (the cloud: an OBS URL)
  OUTPUT_DIR                   where to save text.mp4 and audio.mp4

Prints one JSON line per video: its job id, state, duration and file.
"""

import json
import os
import sys
import time
import urllib.request

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkmetastudio.v1 import (
    Create2DDigitalHumanVideoReq,
    Create2DDigitalHumanVideoRequest,
    MetaStudioClient,
    OutputAssetConfig,
    ShootScript,
    ShootScriptItem,
    Show2DDigitalHumanVideoRequest,
    TextConfig,
    VideoConfig,
    VoiceConfig,
)


def make_video(client, model_asset_id, shoot_script, name):
    body = Create2DDigitalHumanVideoReq(
        model_asset_id=model_asset_id,
        voice_config=VoiceConfig(speed=100, volume=140),
        video_config=VideoConfig(codec="H264", bitrate=8000, width=1920, height=1080, frame_rate="25"),
        shoot_scripts=[ShootScriptItem(sequence_no=0, shoot_script=shoot_script)],
        output_asset_config=OutputAssetConfig(asset_name=name),
    )
    return client.create2_d_digital_human_video(Create2DDigitalHumanVideoRequest(body=body)).job_id


def wait_for(client, job_id, timeout_seconds=900):
    deadline = time.time() + timeout_seconds
    while True:
        job = client.show2_d_digital_human_video(Show2DDigitalHumanVideoRequest(job_id=job_id))
        if job.state in ("SUCCEED", "FAILED", "CANCELED"):
            return job
        if time.time() > deadline:
            raise TimeoutError(f"video job {job_id} still {job.state} after {timeout_seconds} s")
        time.sleep(2)


def main():
    credentials = BasicCredentials(os.environ["CLOUD_SDK_AK"], os.environ["CLOUD_SDK_SK"], os.environ["PROJECT_ID"])
    client = MetaStudioClient.new_builder().with_credentials(credentials).with_endpoints([os.environ["METASTUDIO_ENDPOINT"]]).build()
    model = os.environ["MODEL_ASSET_ID"]
    output_dir = os.environ["OUTPUT_DIR"]
    try:
        jobs = {
            "text": make_video(client, model, ShootScript(script_type="TEXT", text_config=TextConfig(text="Hello! Welcome to our store, we are glad you are here.")), "greeting"),
            "audio": make_video(client, model, ShootScript(script_type="AUDIO", audio_drive_file_external_url=os.environ["AUDIO_URL"]), "recorded speech"),
        }
        for kind, job_id in jobs.items():
            job = wait_for(client, job_id)
            if job.state != "SUCCEED":
                print(json.dumps({"video": kind, "job_id": job_id, "state": job.state, "error": job.error_info.error_msg if job.error_info else None}))
                return 1
            target = os.path.join(output_dir, f"{kind}.mp4")
            urllib.request.urlretrieve(job.output_asset_config.preview_video_url, target)
            print(json.dumps({"video": kind, "job_id": job_id, "state": job.state, "duration": job.duration, "file": target}))
    except exceptions.ClientRequestException as error:
        print(f"{error.status_code} {error.error_code}: {error.error_msg} (request {error.request_id})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
